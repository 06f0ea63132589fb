import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reads a JSON fixture from test/fixtures (written once by a script in scripts/). */
export function loadFixture<T>(name: string): T {
  const path = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Largest |a - b| / max(|b|, floor) over two arrays of the same length. */
export function maxRelativeError(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  floor = 1e-12,
): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor);
    if (err > worst) worst = err;
  }
  return worst;
}

/** A deterministic pseudo-random Float32Array (LCG) for tests that need arbitrary data. */
export function pseudoRandom(n: number, seed: number, scale = 1, offset = 0): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale + offset;
  }
  return out;
}
