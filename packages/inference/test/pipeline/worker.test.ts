import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Detector,
  DetectorWorker,
  FeatureExtractor,
  fitPadim,
  readMvtecCategory,
  saveModelDir,
  writeSynthDataset,
} from '../helpers/api.js';

const dir = mkdtempSync(join(tmpdir(), 'padim-worker-'));
const data = join(dir, 'part');
const modelDir = join(dir, 'model');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DetectorWorker: inference off the caller event loop', () => {
  beforeAll(async () => {
    await writeSynthDataset(data, {
      size: 48,
      train: 6,
      testGood: 2,
      testPerDefect: 1,
      kinds: ['spot'],
    });
    const extractor = await FeatureExtractor.open(
      { kind: 'resnet18', randomSeed: 0 },
      { providers: ['cpu'] },
    );
    const category = readMvtecCategory(data);
    const fit = await fitPadim(
      extractor,
      {
        count: category.train.length,
        read: async (i) => new Uint8Array(readFileSync(category.train[i]!)),
      },
      { reduction: { kind: 'random', d: 16, seed: 0 } },
    );
    await saveModelDir(
      modelDir,
      { ...fit, normalization: extractor.description.normalization },
      extractor.buildDetector(fit.model, fit.taps, fit.imageSize),
    );
    await extractor.release();
  });

  it('scores in another thread with the same results as the in-process detector, and passes typed errors back', async () => {
    const images = readMvtecCategory(data).test.map((t) => new Uint8Array(readFileSync(t.path)));
    const worker = await DetectorWorker.open(modelDir, { providers: ['cpu'] });
    try {
      const inWorker = await worker.score(images);
      expect(inWorker.threadId).not.toBe(threadId);
      const local = await Detector.open(modelDir, { providers: ['cpu'] });
      const here = await local.scoreImages(images);
      await local.release();
      expect(Array.from(inWorker.scores)).toEqual(Array.from(here.scores));
      expect(inWorker.maps.length).toBe(images.length * 224 * 224);

      // Concurrent requests are answered in order, each with its own result.
      const [a, b] = await Promise.all([
        worker.score(images.slice(0, 1)),
        worker.score(images.slice(1, 2)),
      ]);
      expect(a.scores[0]).toBe(here.scores[0]);
      expect(b.scores[0]).toBe(here.scores[1]);

      await expect(worker.score([images[0]!.subarray(0, 50)])).rejects.toMatchObject({
        code: 'CORRUPT_IMAGE',
      });
      // The worker survives a bad request.
      expect((await worker.score(images.slice(0, 1))).scores[0]).toBe(here.scores[0]);
    } finally {
      await worker.close();
    }
  });

  it('fails to open a folder that is not a model, with the reason', async () => {
    await expect(DetectorWorker.open(join(dir, 'nope'))).rejects.toThrow(
      /not a PaDiM model folder/,
    );
  });
});
