/**
 * Email syntax check in linear time: length first, then one '@' with a non-empty local part and a
 * dotted domain, no whitespace or control characters. (A backtracking regex here was a ReDoS.)
 */
export const MAX_EMAIL_LENGTH = 254;

export function isEmail(value: string): boolean {
  if (value.length === 0 || value.length > MAX_EMAIL_LENGTH) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return false;
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@')) return false;
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  return dot > 0 && dot < domain.length - 1;
}
