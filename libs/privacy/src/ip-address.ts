const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/**
 * Number of explicit 16-bit groups in an IPv6 address (an embedded IPv4 tail
 * counts as two), or null when `text` is not an IPv6 address.
 */
export function ipv6GroupCount(text: string): number | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  const parts = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  let groups = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (HEX_GROUP.test(part)) groups += 1;
    else if (i === parts.length - 1 && isIpv4(part)) groups += 2;
    else return null;
  }
  if (compressed ? groups > 7 : groups !== 8) return null;
  return groups;
}

/**
 * An IPv6 address worth treating as personal data: full (8 groups) or with at
 * least three explicit groups. This leaves out `::`, `::1` and two-group forms
 * such as `Abc::def`, which in prose are far more often C++/Rust paths.
 */
export function isReportableIpv6(text: string): boolean {
  const groups = ipv6GroupCount(text);
  return groups !== null && groups >= 3;
}
