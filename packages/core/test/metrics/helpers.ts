/** Small test helpers of the metrics tests. */
import { expect } from 'vitest';
import { PadimError } from '../../src/errors.js';
import type { PadimErrorCode } from '../../src/errors.js';

/** Asserts that `fn` throws a PadimError with `code`. */
export function expectPadimError(fn: () => unknown, code: PadimErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(PadimError);
  expect((thrown as PadimError).code).toBe(code);
}

/** Elementwise closeness of two number arrays, with a message naming the first bad index. */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!(Math.abs(a - e) <= tolerance)) {
      expect.fail(`element ${i}: ${a}, expected ${e} (tolerance ${tolerance})`);
    }
  }
}

/** Deterministic uniform numbers in [0, 1) (a 32-bit LCG; plenty for test inputs). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A copy to compare against after a call, to prove the call did not mutate its input. */
export function snapshot<T extends ArrayLike<number>>(a: T): number[] {
  return Array.from(a);
}
