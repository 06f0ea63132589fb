import {
  GaussianAccumulator,
  PcaAccumulator,
  anomalyMaps,
  createRng,
  embed,
  imageScores,
  mahalanobisMaps,
  projectEmbedding,
  randomChannelIndices,
  type FeatureMaps,
  type MapResize,
  type PadimModelFile,
  type Reduction,
} from '@padim/core';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { TapShape } from '../../src/detector/index.js';

/** Approximately normal pseudo-random numbers (sum of 4 uniforms), seeded. */
export function noise(n: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = (rng.nextFloat() + rng.nextFloat() + rng.nextFloat() + rng.nextFloat() - 2) * scale;
  }
  return out;
}

/**
 * A batch of feature maps per tap: a fixed per-channel pattern (so positions differ) plus noise,
 * and for `anomalous` images a bright square in every level, so the maps have structure.
 */
export function randomLevels(
  batch: number,
  taps: readonly TapShape[],
  seed: number,
  anomalous = false,
): FeatureMaps[] {
  return taps.map((tap, l) => {
    const { channels, height, width } = tap;
    const plane = height * width;
    const pattern = noise(channels * plane, 1000 + l, 2);
    const data = noise(batch * channels * plane, seed * 31 + l);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < channels * plane; i++) data[b * channels * plane + i]! += pattern[i]!;
      if (anomalous) {
        const y0 = Math.floor(height / 4);
        const x0 = Math.floor(width / 2);
        for (let c = 0; c < channels; c++) {
          for (let y = y0; y < Math.min(height, y0 + Math.ceil(height / 4)); y++) {
            for (let x = x0; x < Math.min(width, x0 + Math.ceil(width / 4)); x++) {
              data[((b * channels + c) * height + y) * width + x]! += 3 * (b + 1);
            }
          }
        }
      }
    }
    return { data, shape: [batch, channels, height, width] as const };
  });
}

export type ReductionKind = Reduction['kind'];

export interface FitOptions {
  readonly reduction: ReductionKind;
  /** Embedding dims (ignored for 'all'). */
  readonly d: number;
  readonly mapResize: MapResize;
  readonly blurSigma?: number;
  readonly imageSize?: number;
  /** The channel indices of a 'random' reduction; default randomChannelIndices(total, d, 7). */
  readonly indices?: Int32Array;
  /** Training batches of levels; default: 3 batches of 8 from randomLevels. */
  readonly training?: readonly FeatureMaps[][];
}

/** A model fitted with core on training levels (random data unless given). */
export function fitModel(taps: readonly TapShape[], options: FitOptions): PadimModelFile {
  const total = taps.reduce((s, t) => s + t.channels, 0);
  const training = options.training ?? [0, 1, 2].map((i) => randomLevels(8, taps, 100 + i));
  let reduction: Reduction;
  if (options.reduction === 'pca') {
    const pcaAcc = new PcaAccumulator(total);
    for (const levels of training) pcaAcc.add(embed(levels));
    reduction = { kind: 'pca', pca: pcaAcc.fit(options.d) };
  } else if (options.reduction === 'all') {
    reduction = { kind: 'all', indices: Int32Array.from({ length: total }, (_, c) => c) };
  } else {
    const indices = options.indices ?? randomChannelIndices(total, options.d, 7);
    reduction = { kind: 'random', seed: 7, indices };
  }
  const { height, width } = taps[0]!;
  const d = reduction.kind === 'pca' ? reduction.pca.dims : reduction.indices.length;
  const acc = GaussianAccumulator.create(height, width, d);
  for (const levels of training) acc.add(reduce(levels, reduction));
  return {
    info: {
      backbone: 'test',
      weights: 'random data',
      weightsSha256: '',
      layers: taps.map((_, i) => `tap${i}`),
      embeddingChannels: total,
      imageSize: options.imageSize ?? 64,
      protocol: 'mvtec',
      mapResize: options.mapResize,
      blurSigma: options.blurSigma ?? 4,
    },
    reduction,
    gaussian: acc.finalize(),
  };
}

function reduce(levels: readonly FeatureMaps[], reduction: Reduction): FeatureMaps {
  return reduction.kind === 'pca'
    ? projectEmbedding(embed(levels), reduction.pca)
    : embed(levels, reduction.indices);
}

export interface HeadResult {
  readonly distance: Float32Array;
  readonly map: Float32Array;
  readonly score: Float32Array;
}

/** Core's CPU reference: embed -> (PCA) -> mahalanobisMaps -> anomalyMaps -> imageScores. */
export function reference(
  levels: readonly FeatureMaps[],
  model: PadimModelFile,
  imageHeight: number,
  imageWidth: number,
): HeadResult {
  const distance = mahalanobisMaps(reduce(levels, model.reduction), model.gaussian);
  const map = anomalyMaps(distance, {
    height: imageHeight,
    width: imageWidth,
    resize: model.info.mapResize,
    sigma: model.info.blurSigma,
  });
  return { distance: distance.data, map: map.data, score: imageScores(map) };
}

export function feeds(
  names: readonly string[],
  levels: readonly FeatureMaps[],
): Record<string, ort.Tensor> {
  return Object.fromEntries(
    names.map((name, i) => [name, new ort.Tensor('float32', levels[i]!.data, levels[i]!.shape)]),
  );
}

/** Runs a detector or head session and returns its three outputs, checking their shapes. */
export async function runHead(
  session: ort.InferenceSession,
  input: Record<string, ort.Tensor>,
  shapes: { batch: number; grid: readonly [number, number]; image: readonly [number, number] },
): Promise<HeadResult> {
  const out = await session.run(input);
  const { batch, grid, image } = shapes;
  expect(out.distance!.dims).toEqual([batch, ...grid]);
  expect(out.anomaly_map!.dims).toEqual([batch, ...image]);
  expect(out.score!.dims).toEqual([batch]);
  return {
    distance: out.distance!.data as Float32Array,
    map: out.anomaly_map!.data as Float32Array,
    score: out.score!.data as Float32Array,
  };
}

/**
 * Agreement of `actual` with `expected`: max |a - b| / max |b| <= rtol over the whole output, and
 * per element |a - b| <= rtol * max(|b|, floor * max |b|). Returns the global relative error.
 */
export function expectClose(
  what: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-4,
  floor = 1e-2,
): number {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let maxRef = 0;
  let maxErr = 0;
  for (let i = 0; i < expected.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(expected[i]!));
    maxErr = Math.max(maxErr, Math.abs(actual[i]! - expected[i]!));
  }
  expect(maxRef, `${what}: reference is all zeros`).toBeGreaterThan(0);
  const global = maxErr / maxRef;
  expect(global, `${what}: max |a - b| / max |b|`).toBeLessThanOrEqual(rtol);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const e =
      Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor * maxRef);
    if (e > worst) {
      worst = e;
      worstAt = i;
    }
  }
  expect(
    worst,
    `${what}: element ${worstAt} ${actual[worstAt]} vs ${expected[worstAt]}`,
  ).toBeLessThanOrEqual(rtol);
  return global;
}

export function expectAgreement(actual: HeadResult, expected: HeadResult, rtol = 1e-4): void {
  expectClose('distance', actual.distance, expected.distance, rtol);
  expectClose('anomaly_map', actual.map, expected.map, rtol);
  expectClose('score', actual.score, expected.score, rtol);
}
