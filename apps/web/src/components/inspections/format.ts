/** Display helpers of the inspection pages (pure: the same text on the server and in the browser). */
import type { Verdict } from '@/gql/graphql';

/** A score or threshold: enough digits to tell close values apart. */
export function formatScore(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(2);
  return value.toFixed(3);
}

/** Score relative to the threshold ("1.24× threshold"), or null when either is missing. */
export function thresholdRatio(
  score: number | null | undefined,
  threshold: number | null | undefined,
): string | null {
  if (score == null || threshold == null || !(threshold > 0)) return null;
  return `${(score / threshold).toFixed(2)}× threshold`;
}

/** How a person's review reads: the detector said DEFECT, so GOOD means a false positive. */
export function reviewLabel(verdict: Verdict): string {
  return verdict === 'GOOD' ? 'False positive' : 'Defect confirmed';
}

/**
 * A short handle for an id. The ids are time-ordered (UUIDv7): ids made in the same minute share
 * their first characters, so the handle is the random end.
 */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(-8) : id;
}
