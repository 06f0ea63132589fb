import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  anomalyMaps,
  embed,
  imageScores,
  mahalanobisMaps,
  projectEmbedding,
  type Maps,
} from '@padim/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Detector,
  FeatureExtractor,
  FitCancelledError,
  GaussianAccumulator,
  evaluateCategory,
  fitPadim,
  loadModelDir,
  preprocessBatch,
  readMvtecCategory,
  saveModelDir,
  writeSynthDataset,
  type ImageSource,
} from '../helpers/api.js';

const dir = mkdtempSync(join(tmpdir(), 'padim-fit-'));
const data = join(dir, 'part');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function source(paths: readonly string[]): ImageSource {
  return { count: paths.length, read: async (i) => new Uint8Array(readFileSync(paths[i]!)) };
}

function maxRelative(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}

describe('fit and score with the random-init ResNet18 on a synthetic part', () => {
  let extractor: FeatureExtractor;
  beforeAll(async () => {
    await writeSynthDataset(data, {
      size: 64,
      train: 10,
      testGood: 3,
      testPerDefect: 2,
      kinds: ['spot', 'missing'],
    });
    extractor = await FeatureExtractor.open(
      { kind: 'resnet18', randomSeed: 3 },
      { providers: ['cpu'] },
    );
  });
  afterAll(async () => extractor.release());

  it('the one-graph detector equals the core CPU reference on maps and scores', async () => {
    const category = readMvtecCategory(data);
    const fit = await fitPadim(extractor, source(category.train), {
      reduction: { kind: 'random', d: 40, seed: 5 },
      batchSize: 4,
    });
    expect(fit.model.gaussian.count).toBe(10);
    expect(fit.model.info.weights).toMatch(/random-init/);
    expect(fit.taps.map((t) => [t.channels, t.height])).toEqual([
      [64, 56],
      [128, 28],
      [256, 14],
    ]);
    const modelDir = join(dir, 'model-rd');
    await saveModelDir(
      modelDir,
      { ...fit, normalization: extractor.description.normalization },
      extractor.buildDetector(fit.model, fit.taps, fit.imageSize),
    );

    const detector = await Detector.open(modelDir, { providers: ['cpu'] });
    const testPaths = category.test.map((t) => t.path);
    const bytes = testPaths.map((p) => new Uint8Array(readFileSync(p)));
    const scored = await detector.scoreImages(bytes);
    await detector.release();

    // Reference: same backbone taps, then core's embed -> Mahalanobis -> resize + blur -> max.
    const loaded = await loadModelDir(modelDir);
    const batch = await preprocessBatch(bytes, {
      protocol: 'mvtec',
      normalization: { kind: 'imagenet' },
    });
    const levels = await extractor.extract(batch, 224);
    const reduction = loaded.model.reduction;
    if (reduction.kind === 'pca') throw new Error('unexpected');
    const dist = mahalanobisMaps(embed(levels, reduction.indices), loaded.model.gaussian);
    const maps = anomalyMaps(dist, { height: 224, width: 224, resize: 'bicubic' });
    expect(maxRelative(scored.distances, dist.data)).toBeLessThan(1e-4);
    expect(maxRelative(scored.maps, maps.data)).toBeLessThan(1e-4);
    expect(maxRelative(scored.scores, imageScores(maps))).toBeLessThan(1e-4);
  });

  it('PCA reduction through the detector equals the core reference too', async () => {
    const category = readMvtecCategory(data);
    const fit = await fitPadim(extractor, source(category.train), {
      reduction: { kind: 'pca', d: 12 },
      batchSize: 5,
      mapResize: 'bilinear',
    });
    const modelDir = join(dir, 'model-pca');
    await saveModelDir(
      modelDir,
      { ...fit, normalization: extractor.description.normalization },
      extractor.buildDetector(fit.model, fit.taps, fit.imageSize),
    );
    const detector = await Detector.open(modelDir, { providers: ['cpu'] });
    const bytes = category.test.slice(0, 3).map((t) => new Uint8Array(readFileSync(t.path)));
    const scored = await detector.scoreImages(bytes);
    await detector.release();
    const levels = await extractor.extract(
      await preprocessBatch(bytes, detector.preprocessOptions),
      224,
    );
    if (fit.model.reduction.kind !== 'pca') throw new Error('expected PCA');
    const dist: Maps = mahalanobisMaps(
      projectEmbedding(embed(levels), fit.model.reduction.pca),
      fit.model.gaussian,
    );
    const maps = anomalyMaps(dist, { height: 224, width: 224, resize: 'bilinear' });
    expect(maxRelative(scored.maps, maps.data)).toBeLessThan(1e-4);
  });

  it('finds the injected defects: image AUROC and pixel AUROC well above chance', async () => {
    const category = readMvtecCategory(data);
    const fit = await fitPadim(extractor, source(category.train), {
      reduction: { kind: 'random', d: 100, seed: 0 },
    });
    const modelDir = join(dir, 'model-eval');
    await saveModelDir(
      modelDir,
      { ...fit, normalization: extractor.description.normalization },
      extractor.buildDetector(fit.model, fit.taps, fit.imageSize),
    );
    const detector = await Detector.open(modelDir, { providers: ['cpu'] });
    const result = await evaluateCategory(detector, category, { batchSize: 4 });
    await detector.release();
    expect(result.images).toBe(7);
    expect(Object.keys(result.perType).sort()).toEqual(['missing', 'spot']);
    expect(result.imageAuroc!).toBeGreaterThan(0.9);
    expect(result.pixelAuroc!).toBeGreaterThan(0.8);
    expect(result.pro!).toBeGreaterThan(0.3);
  });

  it('the onnxruntime batch moments give the statistics of the TypeScript reference', async () => {
    const category = readMvtecCategory(data);
    const src = source(category.train);
    const reduction = { kind: 'random', d: 24, seed: 2 } as const;
    const viaOnnx = await fitPadim(extractor, src, { reduction, batchSize: 4, accumulate: 'onnx' });
    const viaCore = await fitPadim(extractor, src, { reduction, batchSize: 4, accumulate: 'core' });
    expect(maxRelative(viaOnnx.model.gaussian.mean, viaCore.model.gaussian.mean)).toBeLessThan(
      1e-5,
    );
    expect(
      maxRelative(viaOnnx.model.gaussian.precisionFactor, viaCore.model.gaussian.precisionFactor),
    ).toBeLessThan(1e-4);
  });

  it('cancels between batches and resumes from a checkpoint to the same statistics', async () => {
    const category = readMvtecCategory(data);
    const src = source(category.train);
    const full = await fitPadim(extractor, src, {
      reduction: { kind: 'random', d: 20, seed: 1 },
      batchSize: 3,
    });

    const controller = new AbortController();
    let checkpoint: { acc: GaussianAccumulator; done: number } | undefined;
    await expect(
      fitPadim(extractor, src, {
        reduction: { kind: 'random', d: 20, seed: 1 },
        batchSize: 3,
        checkpointEvery: 1,
        checkpoint: async (acc, done) => {
          checkpoint = { acc: GaussianAccumulator.fromState(acc.state()), done };
          if (done >= 6) controller.abort();
        },
        signal: controller.signal,
      }),
    ).rejects.toBeInstanceOf(FitCancelledError);
    expect(checkpoint!.done).toBe(6);
    const resumed = await fitPadim(extractor, src, {
      reduction: { kind: 'random', d: 20, seed: 1 },
      batchSize: 3,
      resume: { accumulator: checkpoint!.acc, imagesDone: checkpoint!.done },
    });
    expect(resumed.model.gaussian.count).toBe(10);
    expect(maxRelative(resumed.model.gaussian.mean, full.model.gaussian.mean)).toBeLessThan(1e-6);
    expect(
      maxRelative(resumed.model.gaussian.precisionFactor, full.model.gaussian.precisionFactor),
    ).toBeLessThan(1e-4);
  });

  it('refuses fewer than two training images and reports a corrupt one', async () => {
    const category = readMvtecCategory(data);
    await expect(
      fitPadim(extractor, source(category.train.slice(0, 1)), { reduction: { kind: 'all' } }),
    ).rejects.toThrow(/at least 2/);
    const broken: ImageSource = {
      count: 3,
      read: async (i) =>
        i === 1
          ? new Uint8Array(readFileSync(category.train[0]!)).subarray(0, 100)
          : new Uint8Array(readFileSync(category.train[i]!)),
    };
    await expect(
      fitPadim(extractor, broken, { reduction: { kind: 'random', d: 10, seed: 0 } }),
    ).rejects.toMatchObject({ code: 'CORRUPT_IMAGE' });
    // A corrupt image in a batch that is decoding ahead (while the backbone runs the previous one)
    // fails the fit when its turn comes, without an unhandled rejection in between.
    const laterBroken: ImageSource = {
      count: 6,
      read: async (i) =>
        i === 4
          ? new Uint8Array(readFileSync(category.train[0]!)).subarray(0, 100)
          : new Uint8Array(readFileSync(category.train[i]!)),
    };
    await expect(
      fitPadim(extractor, laterBroken, {
        reduction: { kind: 'random', d: 10, seed: 0 },
        batchSize: 2,
      }),
    ).rejects.toMatchObject({ code: 'CORRUPT_IMAGE' });
  });
});
