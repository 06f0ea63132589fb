import { describe, expect, it } from 'vitest';
import { FLAGGED_RULE, isFlagged } from '../src/decision.js';

describe('isFlagged: the one definition of flagged (score > threshold)', () => {
  it('flags strictly above the threshold, never at it', () => {
    expect(FLAGGED_RULE).toBe('score > threshold');
    expect(isFlagged(0.51, 0.5)).toBe(true);
    expect(isFlagged(0.5, 0.5)).toBe(false);
    expect(isFlagged(0.49, 0.5)).toBe(false);
  });

  it('holds for negative scores, zero and signed zeros', () => {
    expect(isFlagged(-1, -2)).toBe(true);
    expect(isFlagged(-2, -2)).toBe(false);
    expect(isFlagged(0, -Number.MIN_VALUE)).toBe(true);
    expect(isFlagged(0, 0)).toBe(false);
    expect(isFlagged(-0, 0)).toBe(false);
    expect(isFlagged(0, -0)).toBe(false);
    expect(isFlagged(Number.MIN_VALUE, 0)).toBe(true);
  });

  it('never flags NaN; infinite thresholds flag everything or nothing finite', () => {
    expect(isFlagged(NaN, 0)).toBe(false);
    expect(isFlagged(1, NaN)).toBe(false);
    expect(isFlagged(-1e308, -Infinity)).toBe(true);
    expect(isFlagged(1e308, Infinity)).toBe(false);
  });
});
