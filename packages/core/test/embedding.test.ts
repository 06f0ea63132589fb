import { describe, expect, it } from 'vitest';
import {
  PadimErrorCode,
  createRng,
  embed,
  embeddingChannels,
  randomChannelIndices,
  type FeatureMaps,
} from '../src/index.js';
import { loadFixture } from './helpers/fixtures.js';

interface Golden {
  embedding: {
    levels: { shape: [number, number, number, number]; data: number[] }[];
    concat_shape: [number, number, number, number];
    concat: number[];
    indices: number[];
    selected: number[];
  };
  rng: { seed: number; first: number[] };
  rd: { total: number; d: number; seed: number; indices: number[] };
}

const golden = loadFixture<Golden>('gaussian-golden.json');
const levels: FeatureMaps[] = golden.embedding.levels.map((l) => ({
  data: Float32Array.from(l.data),
  shape: l.shape,
}));

describe('embed (patch embedding) against torch interpolate(nearest) + cat', () => {
  it('concatenates nearest-upsampled levels in level order', () => {
    const out = embed(levels);
    expect(out.shape).toEqual(golden.embedding.concat_shape);
    expect(Array.from(out.data)).toEqual(golden.embedding.concat.map(Math.fround));
    expect(embeddingChannels(levels)).toBe(7);
  });

  it('selects channels while gathering, in the order given', () => {
    const out = embed(levels, golden.embedding.indices);
    expect(out.shape).toEqual([2, 3, 8, 6]);
    expect(Array.from(out.data)).toEqual(golden.embedding.selected.map(Math.fround));
  });

  it('does not mutate its inputs', () => {
    const copies = levels.map((l) => l.data.slice());
    embed(levels, [1, 2]);
    levels.forEach((l, i) => expect(l.data).toEqual(copies[i]));
  });

  it('rejects bad indices, mismatched batches and empty input', () => {
    const code = (c: PadimErrorCode) => expect.objectContaining({ code: c });
    expect(() => embed(levels, [7])).toThrowError(code(PadimErrorCode.INVALID_ARGUMENT));
    expect(() => embed(levels, [1, 1])).toThrowError(code(PadimErrorCode.INVALID_ARGUMENT));
    expect(() => embed(levels, [])).toThrowError(code(PadimErrorCode.INVALID_ARGUMENT));
    expect(() => embed([])).toThrowError(code(PadimErrorCode.INVALID_ARGUMENT));
    const other: FeatureMaps = { data: new Float32Array(3 * 2 * 4 * 3), shape: [3, 2, 4, 3] };
    expect(() => embed([levels[0]!, other])).toThrowError(code(PadimErrorCode.SHAPE_MISMATCH));
    const short: FeatureMaps = { data: new Float32Array(5), shape: [2, 2, 8, 6] };
    expect(() => embed([short])).toThrowError(code(PadimErrorCode.SHAPE_MISMATCH));
  });
});

describe('seeded random dimensionality reduction', () => {
  it('xoshiro128** output equals an independent Python transcription', () => {
    const rng = createRng(golden.rng.seed);
    expect(golden.rng.first.map(() => rng.nextUint32())).toEqual(golden.rng.first);
  });

  it('Rd100 of 448 channels equals the Python reference for the same seed', () => {
    const { total, d, seed, indices } = golden.rd;
    expect(Array.from(randomChannelIndices(total, d, seed))).toEqual(indices);
  });

  it('is deterministic, sorted, distinct, in range; seeds differ', () => {
    const a = randomChannelIndices(448, 100, 1);
    expect(randomChannelIndices(448, 100, 1)).toEqual(a);
    expect(new Set(a).size).toBe(100);
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeGreaterThan(a[i - 1]!);
    expect(a[0]!).toBeGreaterThanOrEqual(0);
    expect(a[99]!).toBeLessThan(448);
    expect(randomChannelIndices(448, 100, 2)).not.toEqual(a);
    expect(Array.from(randomChannelIndices(5, 5, 9))).toEqual([0, 1, 2, 3, 4]);
  });

  it('picks each channel about equally often over many seeds', () => {
    const counts = new Array<number>(20).fill(0);
    const seeds = 4000;
    for (let s = 0; s < seeds; s++) for (const c of randomChannelIndices(20, 5, s)) counts[c]!++;
    // Expected 1000 each; a chi-square with 19 dof above 43.8 has probability 0.001.
    const chi2 = counts.reduce((sum, c) => sum + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(43.8);
  });

  it('rejects d > total and bad seeds', () => {
    expect(() => randomChannelIndices(10, 11, 0)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => randomChannelIndices(10, 2, -1)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.INVALID_ARGUMENT }),
    );
    expect(() => randomChannelIndices(10, 2, 1.5)).toThrowError(
      expect.objectContaining({ code: PadimErrorCode.INVALID_ARGUMENT }),
    );
  });
});
