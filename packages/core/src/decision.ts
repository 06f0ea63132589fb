/**
 * The decision rule of the platform: when a score is flagged as anomalous. This is its one
 * definition; the F1 and false-alarm calibrations, the anomaly-map regions, the inference worker, the
 * API and the dashboard all decide through `isFlagged`, so a threshold means the same everywhere.
 */

/**
 * The rule in words, for documentation and display: a score strictly above the threshold is
 * flagged; a score equal to the threshold is not.
 */
export const FLAGGED_RULE = 'score > threshold';

/**
 * True iff `score` is flagged (anomalous) at `threshold`: score > threshold (strictly). A threshold
 * equal to the largest normal score therefore flags no normal image, and any comparison with NaN
 * is false (never flagged). Image scores and anomaly-map pixels alike.
 */
export function isFlagged(score: number, threshold: number): boolean {
  return score > threshold;
}
