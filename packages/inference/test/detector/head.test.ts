import type { MapResize } from '@padim/core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildHeadModel, readModelSummary, type TapSpec } from '../../src/detector/index.js';
import {
  expectAgreement,
  feeds,
  fitModel,
  randomLevels,
  reference,
  runHead,
  type ReductionKind,
} from './helpers.js';

const POWERS_OF_TWO: readonly TapSpec[] = [
  { name: 'layer1', channels: 8, height: 16, width: 16 },
  { name: 'layer2', channels: 12, height: 8, width: 8 },
  { name: 'layer3', channels: 16, height: 4, width: 4 },
];
// Non-integer upsampling ratios (12/5, 10/4, 12/3, 10/3), a non-square grid, and a deeper level
// larger than the grid along one axis.
const ODD_RATIOS: readonly TapSpec[] = [
  { name: 'feat_a', channels: 6, height: 12, width: 10 },
  { name: 'feat_b', channels: 10, height: 5, width: 4 },
  { name: 'feat_c', channels: 9, height: 3, width: 3 },
  { name: 'feat_d', channels: 3, height: 7, width: 13 },
];

interface Case {
  readonly taps: readonly TapSpec[];
  readonly reduction: ReductionKind;
  readonly d: number;
  readonly mapResize: MapResize;
  readonly image: readonly [number, number];
  readonly opset?: number;
  readonly blurSigma?: number;
  readonly indices?: readonly number[];
}

const CASES: readonly Case[] = [
  { taps: POWERS_OF_TWO, reduction: 'random', d: 20, mapResize: 'bicubic', image: [64, 64] },
  { taps: POWERS_OF_TWO, reduction: 'random', d: 20, mapResize: 'bilinear', image: [48, 80] },
  { taps: POWERS_OF_TWO, reduction: 'all', d: 36, mapResize: 'bicubic', image: [80, 48] },
  { taps: POWERS_OF_TWO, reduction: 'pca', d: 20, mapResize: 'bilinear', image: [64, 64] },
  {
    taps: ODD_RATIOS,
    reduction: 'random',
    d: 20,
    mapResize: 'bicubic',
    image: [50, 70],
    opset: 12,
  },
  { taps: ODD_RATIOS, reduction: 'all', d: 28, mapResize: 'bilinear', image: [64, 64], opset: 13 },
  { taps: ODD_RATIOS, reduction: 'pca', d: 20, mapResize: 'bicubic', image: [37, 64], opset: 18 },
  // A blur radius (int(4 * 6 + 0.5) = 24) larger than the map along one axis: reflected twice.
  {
    taps: ODD_RATIOS,
    reduction: 'random',
    d: 12,
    mapResize: 'bicubic',
    image: [20, 64],
    blurSigma: 6,
  },
  // Unsorted indices (a reordering Gather) that skip the second level entirely.
  {
    taps: POWERS_OF_TWO,
    reduction: 'random',
    d: 8,
    mapResize: 'bilinear',
    image: [64, 64],
    indices: [30, 2, 7, 21, 0, 35, 5, 20],
  },
];

function label(c: Case): string {
  const grid = `${c.taps[0]!.height}x${c.taps[0]!.width}`;
  return `${c.reduction} d=${c.d}, grid ${grid}, ${c.mapResize} to ${c.image.join('x')}, opset ${c.opset ?? 'default'}${c.blurSigma ? `, sigma ${c.blurSigma}` : ''}${c.indices ? `, indices [${c.indices.join(' ')}]` : ''}`;
}

describe('the ONNX PaDiM head agrees with core', () => {
  for (const c of CASES) {
    it(label(c), async () => {
      const model = fitModel(c.taps, {
        reduction: c.reduction,
        d: c.d,
        mapResize: c.mapResize,
        blurSigma: c.blurSigma,
        indices: c.indices && Int32Array.from(c.indices),
      });
      const [imageHeight, imageWidth] = c.image;
      const { model: onnx, externalData } = buildHeadModel(model, c.taps, {
        imageHeight,
        imageWidth,
        opset: c.opset,
      });
      expect(externalData.byteLength).toBe(0);
      expect(readModelSummary(onnx).opsetImports).toEqual([{ domain: '', version: c.opset ?? 17 }]);
      const session = await ort.InferenceSession.create(onnx);
      try {
        const names = c.taps.map((t) => t.name);
        for (const batch of [1, 3]) {
          const levels = randomLevels(batch, c.taps, 42 + batch, true);
          const before = levels.map((l) => l.data.slice());
          const actual = await runHead(session, feeds(names, levels), {
            batch,
            grid: [c.taps[0]!.height, c.taps[0]!.width],
            image: c.image,
          });
          const expected = reference(levels, model, imageHeight, imageWidth);
          expectAgreement(actual, expected);
          levels.forEach((l, i) => expect(l.data).toEqual(before[i]));
        }
      } finally {
        await session.release();
      }
    });
  }

  it('is 0 at the mean: one tap on the grid, all channels, fed the per-position mean', async () => {
    const taps: TapSpec[] = [{ name: 'x', channels: 5, height: 6, width: 7 }];
    const model = fitModel(taps, { reduction: 'all', d: 5, mapResize: 'bicubic' });
    const session = await ort.InferenceSession.create(
      buildHeadModel(model, taps, { imageHeight: 24, imageWidth: 28 }).model,
    );
    try {
      // mean is [P, d]; the tap is [1, C, H, W].
      const positions = 6 * 7;
      const data = new Float32Array(5 * positions);
      for (let p = 0; p < positions; p++) {
        for (let c = 0; c < 5; c++) data[c * positions + p] = model.gaussian.mean[p * 5 + c]!;
      }
      const out = await runHead(
        session,
        { x: new ort.Tensor('float32', data, [1, 5, 6, 7]) },
        {
          batch: 1,
          grid: [6, 7],
          image: [24, 28],
        },
      );
      expect(Math.max(...out.distance)).toBe(0);
      expect(Math.max(...out.map.map(Math.abs))).toBe(0);
      expect(out.score[0]).toBe(0);
    } finally {
      await session.release();
    }
  });
});
