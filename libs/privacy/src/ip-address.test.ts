import { describe, expect, it } from '@jest/globals';
import { ipv6GroupCount, isIpv4, isReportableIpv6 } from './ip-address.js';

describe('ip-address', () => {
  it('isIpv4', () => {
    expect(isIpv4('192.168.0.1')).toBe(true);
    expect(isIpv4('0.0.0.0')).toBe(true);
    expect(isIpv4('256.0.0.1')).toBe(false);
    expect(isIpv4('01.2.3.4')).toBe(false);
    expect(isIpv4('1.2.3')).toBe(false);
  });

  it('ipv6GroupCount parses full, compressed and IPv4-tailed forms', () => {
    expect(ipv6GroupCount('2001:0db8:0000:0000:0000:ff00:0042:8329')).toBe(8);
    expect(ipv6GroupCount('2001:db8::1')).toBe(3);
    expect(ipv6GroupCount('::ffff:192.0.2.1')).toBe(3);
    expect(ipv6GroupCount('::')).toBe(0);
    expect(ipv6GroupCount('1:2:3:4:5:6:7')).toBeNull();
    expect(ipv6GroupCount('1::2::3')).toBeNull();
    expect(ipv6GroupCount('1:::2')).toBeNull();
    expect(ipv6GroupCount('12345::1')).toBeNull();
    expect(ipv6GroupCount('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(ipv6GroupCount('g::1')).toBeNull();
  });

  it('isReportableIpv6 needs three explicit groups', () => {
    expect(isReportableIpv6('fe80::1ff:fe23:4567:890a')).toBe(true);
    expect(isReportableIpv6('::1')).toBe(false);
    expect(isReportableIpv6('abc::def')).toBe(false);
  });
});
