import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureMaps } from '@padim/core';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appendHeadToModel,
  buildHeadModel,
  defaultOpset,
  readModelSummary,
  type TapShape,
} from '../../src/detector/index.js';
import { GraphBuilder } from '../../src/onnx/graph.js';
import { SHARED_MOBILENET as MOBILENET } from '../helpers/shared.js';
import { expectAgreement, feeds, fitModel, noise, reference, runHead } from './helpers.js';

/**
 * A small CNN built with our own GraphBuilder: image [batch, 3, 32, 24] -> feat_a [4, 16, 12]
 * (stride 2) -> feat_b [6, 8, 6] (stride 4, an intermediate value, not a graph output) ->
 * feat_c [5, 3, 2] (stride 3 on feat_b: non-integer upsampling ratios), plus a pooled 'logits'
 * output. Its node and value names are GraphBuilder's defaults, as the head's would be.
 * `exposeFeatB` makes feat_b a graph output too: the copy that gives the reference its taps.
 */
function tinyBackbone(opset: number, exposeFeatB = false): Uint8Array {
  const g = new GraphBuilder('tiny_backbone');
  const image = g.input('image', ['batch', 3, 32, 24]);
  const conv = (x: string, cin: number, cout: number, stride: number, seed: number): string => {
    const w = g.initializer(`w${seed}`, noise(cout * cin * 9, seed, 0.4), [cout, cin, 3, 3]);
    const b = g.initializer(`b${seed}`, noise(cout, seed + 50, 0.1), [cout]);
    const y = g.op('Conv', [x, w, b], {
      kernel_shape: [3, 3],
      pads: [1, 1, 1, 1],
      strides: [stride, stride],
    });
    return g.op('Relu', [y]);
  };
  const a = conv(image, 3, 4, 2, 1);
  const b = conv(a, 4, 6, 2, 2);
  const c = conv(b, 6, 5, 3, 3);
  g.output(a, 'feat_a', ['batch', 4, 16, 12]);
  g.output(c, 'feat_c', ['batch', 5, 3, 2]);
  g.output(g.op('GlobalAveragePool', [c]), 'logits', ['batch', 5, 1, 1]);
  // feat_b: a named intermediate value; a graph output only in the reference copy.
  g.op('Identity', [b], undefined, 'feat_b');
  if (exposeFeatB) g.output('feat_b', 'feat_b', ['batch', 6, 8, 6]);
  return g.serialize({ opsetVersion: opset }).model;
}

const TINY_TAPS: readonly TapShape[] = [
  { channels: 4, height: 16, width: 12 },
  { channels: 6, height: 8, width: 6 },
  { channels: 5, height: 3, width: 2 },
];
const TINY_NAMES = ['feat_a', 'feat_b', 'feat_c'];

/** Runs a model and returns the named float outputs as feature maps. */
async function tapsOf(
  session: ort.InferenceSession,
  input: Record<string, ort.Tensor>,
  names: readonly string[],
): Promise<FeatureMaps[]> {
  const out = await session.run(input, [...names]);
  return names.map((n) => {
    const t = out[n]!;
    const [b, c, h, w] = t.dims as number[];
    return { data: t.data as Float32Array, shape: [b!, c!, h!, w!] as const };
  });
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('appendHeadToModel: a self-contained detector from any ONNX model', () => {
  for (const opset of [12, 13, 18]) {
    it(`a GraphBuilder CNN at opset ${opset}, taps at strides 2, 4 and 12 (one intermediate)`, async () => {
      const backbone = tinyBackbone(opset);
      const source = await ort.InferenceSession.create(tinyBackbone(opset, true));
      const train = noise(24 * 3 * 32 * 24, 11);
      const image = (data: Float32Array, n: number): Record<string, ort.Tensor> => ({
        image: new ort.Tensor('float32', data, [n, 3, 32, 24]),
      });
      const trainTaps = await tapsOf(source, image(train, 24), TINY_NAMES);
      const model = fitModel(TINY_TAPS, {
        reduction: 'random',
        d: 10,
        mapResize: 'bicubic',
        imageSize: 32,
        training: [trainTaps],
      });
      const { model: detectorBytes, externalData } = appendHeadToModel(
        backbone,
        TINY_NAMES,
        TINY_TAPS,
        model,
        { imageHeight: 32, imageWidth: 24 },
      );
      expect(externalData.byteLength).toBe(0);
      const summary = readModelSummary(detectorBytes);
      expect(defaultOpset(summary)).toBe(opset);
      expect(summary.opsetImports).toHaveLength(1);
      expect(summary.graphInputs).toEqual(['image']);
      expect(summary.graphOutputs).toEqual([
        'feat_a',
        'feat_c',
        'logits',
        'distance',
        'anomaly_map',
        'score',
      ]);

      const detector = await ort.InferenceSession.create(detectorBytes);
      try {
        for (const batch of [1, 3]) {
          const test = noise(batch * 3 * 32 * 24, 20 + batch, 1.5);
          const levels = await tapsOf(source, image(test, batch), TINY_NAMES);
          const actual = await runHead(detector, image(test, batch), {
            batch,
            grid: [16, 12],
            image: [32, 24],
          });
          expectAgreement(actual, reference(levels, model, 32, 24));
        }
      } finally {
        await detector.release();
        await source.release();
      }
    });
  }

  it('refuses unknown taps, a second head and a backbone with an output named like the head', () => {
    const backbone = tinyBackbone(13);
    const model = fitModel(TINY_TAPS, { reduction: 'all', d: 15, mapResize: 'bilinear' });
    const options = { imageHeight: 32, imageWidth: 24 };
    expect(() =>
      appendHeadToModel(backbone, ['feat_a', 'nope', 'feat_c'], TINY_TAPS, model, options),
    ).toThrow(/no value named nope/);
    const once = appendHeadToModel(backbone, TINY_NAMES, TINY_TAPS, model, options).model;
    expect(() => appendHeadToModel(once, TINY_NAMES, TINY_TAPS, model, options)).toThrow(
      /already defines distance, anomaly_map, score/,
    );
    const g = new GraphBuilder('clash');
    g.output(g.input('x', [1, 4, 16, 12]), 'score', [1, 4, 16, 12]);
    expect(() =>
      appendHeadToModel(
        g.serialize().model,
        ['x'],
        [TINY_TAPS[0]!],
        fitModel([TINY_TAPS[0]!], { reduction: 'all', d: 4, mapResize: 'bicubic' }),
        options,
      ),
    ).toThrow(/already defines score/);
    expect(() =>
      appendHeadToModel(backbone, TINY_NAMES, TINY_TAPS.slice(0, 2), model, options),
    ).toThrow(/3 tap names for 2 tap shapes/);
  });

  it('a tap of another size than declared fails at run time instead of gathering wrong values', async () => {
    const backbone = tinyBackbone(13);
    const declared = [TINY_TAPS[0]!, TINY_TAPS[1]!, { ...TINY_TAPS[2]!, width: 3 }];
    const model = fitModel(declared, { reduction: 'all', d: 15, mapResize: 'bicubic' });
    const detector = await ort.InferenceSession.create(
      appendHeadToModel(backbone, TINY_NAMES, declared, model, { imageHeight: 32, imageWidth: 24 })
        .model,
      { logSeverityLevel: 4 }, // the failure below is expected: keep the runtime's log quiet
    );
    try {
      const input = { image: new ort.Tensor('float32', noise(3 * 32 * 24, 1), [1, 3, 32, 24]) };
      await expect(detector.run(input)).rejects.toThrow(/Reshape|shape/i);
    } finally {
      await detector.release();
    }
  });

  it.skipIf(!existsSync(MOBILENET))(
    `the shared MobileNetV2 int8 taps model (${MOBILENET}; skipped when it is absent)`,
    async () => {
      const backbone = new Uint8Array(readFileSync(MOBILENET));
      const names = ['feat_s4', 'feat_s8', 'feat_s16'];
      const taps: TapShape[] = [
        { channels: 24, height: 56, width: 56 },
        { channels: 32, height: 28, width: 28 },
        { channels: 96, height: 14, width: 14 },
      ];
      const source = await ort.InferenceSession.create(backbone);
      const image = (data: Float32Array, n: number): Record<string, ort.Tensor> => ({
        input: new ort.Tensor('float32', data, [n, 3, 224, 224]),
      });
      const training = [];
      for (let i = 0; i < 2; i++)
        training.push(await tapsOf(source, image(noise(4 * 3 * 224 * 224, 60 + i), 4), names));
      const model = fitModel(taps, {
        reduction: 'random',
        d: 40,
        mapResize: 'bicubic',
        imageSize: 224,
        training,
      });
      const opset = defaultOpset(readModelSummary(backbone));
      const { model: detectorBytes } = appendHeadToModel(backbone, names, taps, model, {
        imageHeight: 224,
        imageWidth: 224,
      });
      expect(defaultOpset(readModelSummary(detectorBytes))).toBe(opset);
      const detector = await ort.InferenceSession.create(detectorBytes);
      try {
        const test = noise(2 * 3 * 224 * 224, 99, 1.2);
        const levels = await tapsOf(source, image(test, 2), names);
        const actual = await runHead(detector, image(test, 2), {
          batch: 2,
          grid: [56, 56],
          image: [224, 224],
        });
        expectAgreement(actual, reference(levels, model, 224, 224));
      } finally {
        await detector.release();
        await source.release();
      }
    },
  );
});

describe('external data: statistics outside the protobuf, loaded by path', () => {
  const taps = TINY_TAPS.map((t, i) => ({ ...t, name: TINY_NAMES[i]! }));

  it('buildHeadModel: same outputs as the inline model', async () => {
    const model = fitModel(taps, { reduction: 'pca', d: 8, mapResize: 'bicubic' });
    const options = { imageHeight: 32, imageWidth: 24 };
    const inline = buildHeadModel(model, taps, options);
    const split = buildHeadModel(model, taps, {
      ...options,
      externalData: { location: 'head.onnx.data', minBytes: 256 },
    });
    expect(split.externalData.byteLength).toBeGreaterThan(
      model.gaussian.precisionFactor.byteLength,
    );
    expect(split.model.byteLength).toBeLessThan(
      inline.model.byteLength - split.externalData.byteLength / 2,
    );
    const dir = mkdtempSync(join(tmpdir(), 'padim-head-'));
    tempDirs.push(dir);
    writeFileSync(join(dir, 'head.onnx'), split.model);
    writeFileSync(join(dir, 'head.onnx.data'), split.externalData);
    const a = await ort.InferenceSession.create(inline.model);
    const b = await ort.InferenceSession.create(join(dir, 'head.onnx'));
    try {
      const levels = taps.map((t, i) => ({
        data: noise(2 * t.channels * t.height * t.width, 300 + i, 2),
        shape: [2, t.channels, t.height, t.width] as const,
      }));
      const input = feeds(TINY_NAMES, levels);
      const shapes = { batch: 2, grid: [16, 12], image: [32, 24] } as const;
      const x = await runHead(a, input, shapes);
      const y = await runHead(b, input, shapes);
      expect(y.distance).toEqual(x.distance);
      expect(y.map).toEqual(x.map);
      expect(y.score).toEqual(x.score);
      expectAgreement(y, reference(levels, model, 32, 24));
    } finally {
      await a.release();
      await b.release();
    }
  });

  it('appendHeadToModel: the appended head keeps its statistics in the external file', async () => {
    const backbone = tinyBackbone(13);
    const model = fitModel(TINY_TAPS, { reduction: 'random', d: 10, mapResize: 'bilinear' });
    const { model: detectorBytes, externalData } = appendHeadToModel(
      backbone,
      TINY_NAMES,
      TINY_TAPS,
      model,
      {
        imageHeight: 32,
        imageWidth: 24,
        externalData: { location: 'detector.onnx.data', minBytes: 1024 },
      },
    );
    expect(externalData.byteLength).toBeGreaterThanOrEqual(
      model.gaussian.precisionFactor.byteLength,
    );
    const dir = mkdtempSync(join(tmpdir(), 'padim-detector-'));
    tempDirs.push(dir);
    writeFileSync(join(dir, 'detector.onnx'), detectorBytes);
    writeFileSync(join(dir, 'detector.onnx.data'), externalData);
    const source = await ort.InferenceSession.create(tinyBackbone(13, true));
    const detector = await ort.InferenceSession.create(join(dir, 'detector.onnx'));
    try {
      const test = noise(2 * 3 * 32 * 24, 5);
      const input = { image: new ort.Tensor('float32', test, [2, 3, 32, 24]) };
      const levels = await tapsOf(source, input, TINY_NAMES);
      const actual = await runHead(detector, input, { batch: 2, grid: [16, 12], image: [32, 24] });
      expectAgreement(actual, reference(levels, model, 32, 24));
    } finally {
      await detector.release();
      await source.release();
    }
  });
});
