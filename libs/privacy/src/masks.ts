import type { RedactionKind } from './types.js';

/**
 * Replacement text for matches. Masks keep the shape of the value (so a reader
 * still sees "an email at example.com") but never enough of it to be useful,
 * and no mask can be detected again: redacting twice changes nothing.
 */

export function redactedMarker(kind: RedactionKind): string {
  return `[REDACTED:${kind}]`;
}

/** `hello@example.com` → `h***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return redactedMarker('email');
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/**
 * Keeps the first digit group and the last four digits, stars every other
 * digit and keeps separators: `555-123-4567` → `555-***-4567`,
 * `(555) 123-4567` → `(555) ***-4567`, `+44 20 7946 0958` → `+44 ** **** 0958`.
 * Without separators (`+15551234567`) the first two digits stand for the group.
 */
export function maskPhone(phone: string): string {
  const totalDigits = phone.replace(/\D/g, '').length;
  const firstGroup = /\d+/.exec(phone)?.[0].length ?? 0;
  const keepHead = firstGroup + 4 >= totalDigits ? Math.min(2, Math.max(0, totalDigits - 4)) : firstGroup;
  let seen = 0;
  let out = '';
  for (const ch of phone) {
    if (ch >= '0' && ch <= '9') {
      out += seen < keepHead || seen >= totalDigits - 4 ? ch : '*';
      seen++;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Any card → `****-****-****-4242` (the last four digits, as receipts show them). */
export function maskCreditCard(card: string): string {
  const digits = card.replace(/\D/g, '');
  return `****-****-****-${digits.slice(-4)}`;
}

/** `123-45-6789` → `***-**-6789`. */
export function maskSsn(ssn: string): string {
  return `***-**-${ssn.replace(/\D/g, '').slice(-4)}`;
}

/** IPv4 keeps its first two octets (`10.0.***.***`); IPv6 is removed entirely. */
export function maskIpAddress(ip: string): string {
  const octets = ip.split('.');
  if (octets.length !== 4 || ip.includes(':')) return redactedMarker('ip_address');
  return `${octets[0]}.${octets[1]}.***.***`;
}

const MASKS: Partial<Record<RedactionKind, (value: string) => string>> = {
  email: maskEmail,
  phone: maskPhone,
  credit_card: maskCreditCard,
  ssn: maskSsn,
  ip_address: maskIpAddress,
};

/**
 * The text that replaces a match. `redact` gives `[REDACTED:<kind>]`, except for
 * cards, whose redacted form is the last-four mask. `mask` gives the
 * format-keeping mask where the kind has one, else the marker.
 */
export function replacementFor(kind: RedactionKind, action: 'redact' | 'mask', value: string): string {
  if (kind === 'credit_card') return maskCreditCard(value);
  if (action === 'redact') return redactedMarker(kind);
  const mask = MASKS[kind];
  return mask ? mask(value) : redactedMarker(kind);
}
