import { describe, expect, it } from 'vitest';
import { nextDown } from '../src/float64.js';
import { lcg } from './metrics/helpers.js';

/** 2^k, exactly. */
const pow2 = (k: number): number => 2 ** k;

describe('nextDown (IEEE 754 binary64, by hand)', () => {
  it('steps one unit in the last place below normal numbers of either sign', () => {
    // [1, 2) has spacing 2^-52; [1/2, 1) has 2^-53, so the double below 1 is 1 - 2^-53.
    expect(nextDown(1)).toBe(1 - pow2(-53));
    expect(nextDown(2)).toBe(2 - pow2(-52));
    expect(nextDown(1.5)).toBe(1.5 - pow2(-52));
    // Below -1 the magnitude grows: -1 - 2^-52.
    expect(nextDown(-1)).toBe(-1 - pow2(-52));
    expect(nextDown(-0.5)).toBe(-0.5 - pow2(-53));
    // 2^53 + 2 -> 2^53 (spacing 2 above 2^53); 2^53 -> 2^53 - 1 (spacing 1 below).
    expect(nextDown(pow2(53) + 2)).toBe(pow2(53));
    expect(nextDown(pow2(53))).toBe(pow2(53) - 1);
  });

  it('crosses zero, subnormals and the ends of the range exactly', () => {
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
    expect(nextDown(-0)).toBe(-Number.MIN_VALUE);
    expect(Number.MIN_VALUE).toBe(pow2(-1074));
    expect(nextDown(Number.MIN_VALUE)).toBe(0);
    expect(Object.is(nextDown(Number.MIN_VALUE), 0)).toBe(true);
    expect(nextDown(-Number.MIN_VALUE)).toBe(-2 * Number.MIN_VALUE);
    // Smallest normal 2^-1022 -> largest subnormal 2^-1022 - 2^-1074.
    expect(nextDown(pow2(-1022))).toBe(pow2(-1022) - pow2(-1074));
    expect(nextDown(Infinity)).toBe(Number.MAX_VALUE);
    expect(nextDown(Number.MAX_VALUE)).toBe(Number.MAX_VALUE - pow2(971));
    expect(nextDown(-Number.MAX_VALUE)).toBe(-Infinity);
    expect(nextDown(-Infinity)).toBe(-Infinity);
    expect(nextDown(NaN)).toBeNaN();
  });

  it('borrows across the 32-bit word boundary of the bit pattern', () => {
    // 1 + 2^-20 has low word 0 (its only fraction bit is bit 32): the step below borrows.
    expect(nextDown(1 + pow2(-20))).toBe(1 + pow2(-20) - pow2(-52));
    // -(1 + 2^-20 - 2^-52) has low word 0xFFFFFFFF: the step below carries.
    expect(nextDown(-(1 + pow2(-20) - pow2(-52)))).toBe(-(1 + pow2(-20)));
  });

  it('leaves no double between nextDown(x) and x (property over random doubles)', () => {
    const rand = lcg(2024);
    for (let i = 0; i < 2000; i++) {
      const exponent = Math.floor(rand() * 200) - 100;
      const x = (rand() < 0.5 ? -1 : 1) * (1 + rand()) * 2 ** exponent;
      const below = nextDown(x);
      expect(below).toBeLessThan(x);
      // The gap is one ulp: halfway between them rounds to one of the two (ties to even).
      const mid = below + (x - below) / 2;
      expect(mid === below || mid === x).toBe(true);
    }
  });
});
