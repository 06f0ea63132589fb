import { PadimError, PadimErrorCode, assertInteger } from './errors.js';

/**
 * A small seeded PRNG: xoshiro128** (Blackman & Vigna) seeded through SplitMix32. Deterministic on
 * every platform (32-bit integer arithmetic only). Used for the paper's random dimensionality
 * reduction (Rd100, Rd200, ...). The chosen indices are stored with the model, never re-derived, so a
 * future change of generator cannot change a trained model.
 */
export interface Rng {
  /** A uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform integer in [0, n), n <= 2^21, without modulo bias (Lemire's method with rejection). */
  nextInt(n: number): number;
  /** A uniform float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number;
}

function splitMix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

export function createRng(seed: number): Rng {
  assertInteger('seed', seed, 0, 0xffffffff);
  const s = new Uint32Array(4);
  let state = seed | 0;
  for (let i = 0; i < 4; i++) {
    const [next, out] = splitMix32(state);
    state = next;
    s[i] = out;
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the all-zero state is a fixed point

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };

  return {
    nextUint32,
    nextFloat: () => nextUint32() / 4294967296,
    nextInt(n: number): number {
      // n <= 2^21 keeps x * n below 2^53, so the high word below is exact.
      assertInteger('n', n, 1, 0x200000);
      // Lemire: multiply-shift with rejection of the biased low range.
      const threshold = (0x100000000 - n) % n;
      for (;;) {
        const x = nextUint32();
        const lo = Math.imul(x, n) >>> 0;
        if (lo >= threshold) return Math.floor((x * n) / 4294967296);
      }
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * The paper's random dimensionality reduction (Sec. 3.2, Table II "Rd"): `d` distinct channel indices
 * drawn uniformly from [0, total) with a seeded generator, returned sorted ascending (sorting does not
 * change the Mahalanobis distance, which is invariant to a permutation of the dimensions, and it
 * makes the gather cache-friendly). d = total keeps every channel.
 */
export function randomChannelIndices(total: number, d: number, seed: number): Int32Array {
  assertInteger('total channels', total, 1);
  assertInteger('d', d, 1);
  if (d > total) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `d = ${d} is larger than the ${total} channels of the embedding`,
    );
  }
  const rng = createRng(seed);
  // Partial Fisher-Yates shuffle: the first d entries are a uniform random d-subset.
  const perm = new Int32Array(total);
  for (let i = 0; i < total; i++) perm[i] = i;
  for (let i = 0; i < d; i++) {
    const j = i + rng.nextInt(total - i);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm.slice(0, d).sort();
}
