/** A fresh idempotency key ([A-Za-z0-9._:-]): a retried or double-clicked request makes one job. */
export function newIdempotencyKey(prefix: string): string {
  // crypto.randomUUID exists only in secure contexts; plain-http plant networks are common.
  const random =
    typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}:${random}`;
}
