import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { thresholdForFalseAlarmRate } from '@padim/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CalibrationError,
  Detector,
  FeatureExtractor,
  calibrateThreshold,
  f1Threshold,
  fitPadim,
  loadModelDir,
  readMvtecCategory,
  saveModelDir,
  scoreHistogram,
  splitHoldout,
  verdictFor,
  writeModelThreshold,
  writeSynthDataset,
  type FalseAlarmCalibration,
  type ImageSource,
  type MvtecCategory,
} from '../helpers/api.js';
import { padimCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'padim-calibrate-'));
const data = join(dir, 'part');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function source(paths: readonly string[]): ImageSource {
  return { count: paths.length, read: async (i) => new Uint8Array(readFileSync(paths[i]!)) };
}

const padim = padimCli(dir);

describe('holdout split', () => {
  it('is deterministic for a seed, disjoint, and covers every image', () => {
    const a = splitHoldout(20, 0.1, 7);
    expect(splitHoldout(20, 0.1, 7)).toEqual(a);
    expect(a.heldOut).toHaveLength(2);
    expect(a.fit).toHaveLength(18);
    expect(a.fit.filter((i) => a.heldOut.includes(i))).toEqual([]);
    expect([...a.fit, ...a.heldOut].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    // Another seed draws another subset (for this size, almost surely).
    const others = [1, 2, 3, 4, 5].map((s) => splitHoldout(20, 0.1, s).heldOut.join(','));
    expect(new Set([...others, a.heldOut.join(',')]).size).toBeGreaterThan(1);
  });

  it('holds out at least one image when holdout > 0, none when 0', () => {
    expect(splitHoldout(5, 0.01, 0).heldOut).toHaveLength(1);
    expect(splitHoldout(5, 0, 0)).toEqual({ fit: [0, 1, 2, 3, 4], heldOut: [] });
  });

  it('rejects holdout values outside [0, 1) or leaving fewer than 2 images for the fit', () => {
    expect(() => splitHoldout(10, -0.1)).toThrow(CalibrationError);
    expect(() => splitHoldout(10, -0.1)).toThrow(/\[0, 1\), got -0\.1/);
    expect(() => splitHoldout(10, 1)).toThrow(/\[0, 1\), got 1/);
    expect(() => splitHoldout(10, 1.5)).toThrow(CalibrationError);
    expect(() => splitHoldout(10, Number.NaN)).toThrow(CalibrationError);
    expect(() => splitHoldout(3, 0.5)).toThrow(/leaves 1 for the fit; a fit needs at least 2/);
    expect(() => splitHoldout(2, 0.1)).toThrow(/leaves 1 for the fit/);
    expect(splitHoldout(3, 0.1).fit).toHaveLength(2);
  });
});

describe('score histogram and F1 threshold', () => {
  it('bins every score, edges one longer than counts', () => {
    const h = scoreHistogram([1, 2, 3, 4, 5], 4);
    expect(h.edges).toEqual([1, 2, 3, 4, 5]);
    expect(h.counts).toEqual([1, 1, 1, 2]);
    expect(scoreHistogram([2, 2, 2])).toEqual({ edges: [2, 2], counts: [3] });
    const h30 = scoreHistogram([0.1, 0.5, 0.9, 0.3]);
    expect(h30.counts).toHaveLength(30);
    expect(h30.edges).toHaveLength(31);
    expect(h30.counts.reduce((s, c) => s + c, 0)).toBe(4);
  });

  it('wraps core f1OptimalThreshold with precision and recall, under the platform rule', () => {
    const scores = [0.1, 0.2, 0.8, 0.9, 0.3];
    const labels = [0, 0, 1, 1, 0];
    const t = f1Threshold(scores, labels);
    // sklearn's threshold is 0.8 (score >= 0.8); under score > value the same decisions need the
    // largest score below it: 0.3.
    expect(t).toEqual({ value: 0.3, method: 'f1', f1: 1, precision: 1, recall: 1 });
    expect(scores.map((s) => verdictFor(s, t.value) === 'anomalous')).toEqual(
      labels.map((l) => l === 1),
    );
  });
});

describe('threshold calibration on held-out normal images (random-init ResNet18, 48 px)', () => {
  let category: MvtecCategory;
  let calibration: FalseAlarmCalibration;
  let detector: Detector;
  const modelDir = join(dir, 'model');

  beforeAll(async () => {
    await writeSynthDataset(data, {
      size: 48,
      train: 12,
      testGood: 2,
      testPerDefect: 2,
      kinds: ['spot', 'missing'],
    });
    category = readMvtecCategory(data);
    const split = splitHoldout(category.train.length, 0.25, 3);
    const extractor = await FeatureExtractor.open(
      { kind: 'resnet18', randomSeed: 3 },
      { providers: ['cpu'] },
    );
    try {
      const fit = await fitPadim(extractor, source(split.fit.map((i) => category.train[i]!)), {
        reduction: { kind: 'random', d: 40, seed: 3 },
        batchSize: 6,
      });
      await saveModelDir(
        modelDir,
        { ...fit, normalization: extractor.description.normalization },
        extractor.buildDetector(fit.model, fit.taps, fit.imageSize),
      );
    } finally {
      await extractor.release();
    }
    detector = await Detector.open(modelDir, { providers: ['cpu'] });
    calibration = await calibrateThreshold(
      detector,
      source(split.heldOut.map((i) => category.train[i]!)),
      { targetFalseAlarmRate: 0.2, batchSize: 2 },
    );
  });
  afterAll(async () => detector?.release());

  it('sets the threshold from the held-out normal scores with core thresholdForFalseAlarmRate', () => {
    expect(calibration.method).toBe('false-alarm-rate');
    expect(calibration.heldOut).toBe(3);
    expect(calibration.normalScores).toHaveLength(3);
    expect([...calibration.normalScores]).toEqual(
      [...calibration.normalScores].sort((a, b) => a - b),
    );
    const core = thresholdForFalseAlarmRate(calibration.normalScores, 0.2);
    expect(calibration.value).toBe(core.threshold);
    expect(calibration.achievedFalseAlarmRate).toBe(core.falseAlarmRate);
    expect(calibration.targetFalseAlarmRate).toBe(0.2);
    const above = calibration.normalScores.filter((s) => s > calibration.value).length;
    expect(above / calibration.normalScores.length).toBe(calibration.achievedFalseAlarmRate);
    expect(calibration.achievedFalseAlarmRate).toBeLessThanOrEqual(0.2);
    expect(calibration.histogram.counts.reduce((s, c) => s + c, 0)).toBe(3);
    expect(calibration.histogram.edges).toHaveLength(calibration.histogram.counts.length + 1);
  });

  it('round-trips the threshold block through model.json', async () => {
    const written = await writeModelThreshold(modelDir, calibration);
    const loaded = await loadModelDir(modelDir);
    expect(loaded.manifest.threshold).toEqual(calibration);
    expect(written.threshold).toEqual(calibration);
    expect(loaded.manifest.trainImages).toBe(9);
  });

  it('a defect image is anomalous, a held-out-calibrated threshold scores normals below', async () => {
    const defect = category.test.find((t) => t.type === 'missing')!;
    const scored = await detector.scoreImages([new Uint8Array(readFileSync(defect.path))]);
    expect(verdictFor(scored.scores[0]!, calibration.value)).toBe('anomalous');
    expect(verdictFor(calibration.value, calibration.value)).toBe('normal');
  });

  it('padim fit --holdout --far stores the threshold; padim score prints verdicts', async () => {
    const cliModel = join(dir, 'cli-model');
    const fit = await padim(
      'fit',
      '--data',
      data,
      '--out',
      cliModel,
      '--random-init',
      '--d',
      '40',
      '--seed',
      '3',
      '--holdout',
      '0.25',
      '--far',
      '0.2',
      '--json',
    );
    expect(fit.code, fit.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(cliModel, 'model.json'), 'utf8')) as {
      trainImages: number;
      threshold: FalseAlarmCalibration;
    };
    expect(manifest.trainImages).toBe(9);
    expect(manifest.threshold.heldOut).toBe(3);
    expect(manifest.threshold.targetFalseAlarmRate).toBe(0.2);
    expect(manifest.threshold.value).toBe(
      thresholdForFalseAlarmRate(manifest.threshold.normalScores, 0.2).threshold,
    );

    const defect = category.test.find((t) => t.type === 'missing')!.path;
    const scoreJson = await padim('score', '--model', cliModel, defect, '--json');
    expect(scoreJson.code, scoreJson.stderr).toBe(0);
    const results = JSON.parse(scoreJson.stdout) as {
      score: number;
      verdict: string;
      threshold: number;
    }[];
    expect(results[0]!.threshold).toBe(manifest.threshold.value);
    expect(results[0]!.verdict).toBe('anomalous');
    const human = await padim('score', '--model', cliModel, defect);
    expect(human.stdout).toMatch(/verdict: anomalous/);
  });

  it('padim fit reports bad --holdout values as clear errors', async () => {
    for (const [value, message] of [
      ['-0.1', /--holdout must be a fraction in \[0, 1\), got -0\.1/],
      ['1', /--holdout must be a fraction in \[0, 1\), got 1/],
      ['0.9', /leaves 1 for the fit; a fit needs at least 2/],
    ] as const) {
      const run = await padim(
        'fit',
        '--data',
        data,
        '--out',
        join(dir, 'bad'),
        '--random-init',
        `--holdout=${value}`,
        '--json',
      );
      expect(run.code).not.toBe(0);
      const out = JSON.parse(run.stdout) as { error: { name: string; message: string } };
      expect(out.error.name).toBe('CalibrationError');
      expect(out.error.message).toMatch(message);
    }
  });
});
