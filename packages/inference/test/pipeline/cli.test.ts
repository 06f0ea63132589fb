import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, writeSynthDataset } from '../helpers/api.js';
import { json, padimCli } from '../helpers/cli.js';
import { SHARED_MOBILENET } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'padim-cli-'));
const data = join(dir, 'part');
const model = join(dir, 'model');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const padim = padimCli(dir);

describe('padim CLI', () => {
  beforeAll(async () => {
    await writeSynthDataset(data, {
      size: 64,
      train: 8,
      testGood: 3,
      testPerDefect: 2,
      kinds: ['spot', 'scratch'],
    });
  });

  it('fit -> eval -> metrics -> score -> info -> export, with JSON output', async () => {
    const fit = json<{ manifest: { dims: number; weights: string; trainImages: number } }>(
      await padim(
        'fit',
        '--data',
        data,
        '--out',
        model,
        '--random-init',
        '--d',
        '30',
        '--seed',
        '4',
        '--json',
      ),
    );
    expect(fit.manifest.dims).toBe(30);
    expect(fit.manifest.trainImages).toBe(8);
    expect(fit.manifest.weights).toMatch(/random-init/);

    const evalRun = json<{
      image_auroc: number;
      pixel_auroc: number;
      pro: number;
      perType: Record<string, unknown>;
      timings: { perImageMs: number };
    }>(
      await padim(
        'eval',
        '--model',
        model,
        '--data',
        data,
        '--save-maps',
        join(dir, 'maps'),
        '--save-scores',
        join(dir, 'scores.json'),
        '--json',
      ),
    );
    expect(evalRun.image_auroc).toBeGreaterThan(0.8);
    expect(Object.keys(evalRun.perType).sort()).toEqual(['scratch', 'spot']);
    const saved = JSON.parse(readFileSync(join(dir, 'scores.json'), 'utf8')) as {
      type: string;
      stem: string;
      score: number;
    }[];
    expect(saved).toHaveLength(7);
    const map = decodeNpy(new Uint8Array(readFileSync(join(dir, 'maps', 'spot', '000.npy'))));
    expect(map.shape).toEqual([224, 224]);

    // The same metrics from the saved outputs alone.
    const metrics = json<{ image_auroc: number; pixel_auroc: number; pro: number }>(
      await padim(
        'metrics',
        '--scores',
        join(dir, 'scores.json'),
        '--maps',
        join(dir, 'maps'),
        '--data',
        data,
        '--json',
      ),
    );
    expect(metrics.image_auroc).toBeCloseTo(evalRun.image_auroc, 10);
    expect(metrics.pixel_auroc).toBeCloseTo(evalRun.pixel_auroc, 6);
    expect(metrics.pro).toBeCloseTo(evalRun.pro, 6);

    const scored = json<{ image: string; score: number }[]>(
      await padim('score', '--model', model, join(data, 'test', 'spot', '000.png'), '--json'),
    );
    const fromEval = saved.find((s) => s.type === 'spot' && s.stem === '000')!;
    expect(scored[0]!.score).toBeCloseTo(fromEval.score, 3);

    const info = json<{
      dims: number;
      files: Record<string, number>;
      memoryWhenLoadedBytes: number;
    }>(await padim('info', '--model', model, '--json'));
    expect(info.dims).toBe(30);
    expect(info.memoryWhenLoadedBytes).toBe(56 * 56 * (30 + 30 * 30) * 4);

    // The exported detector is self-contained: plain onnxruntime scores an image with it.
    const out = join(dir, 'edge', 'detector.onnx');
    json(await padim('export', '--model', model, '--out', out, '--json'));
    const session = await ort.InferenceSession.create(out);
    expect([...session.outputNames].sort()).toEqual(['anomaly_map', 'distance', 'score']);
    const result = await session.run({
      image: new ort.Tensor('float32', new Float32Array(3 * 224 * 224), [1, 3, 224, 224]),
    });
    expect(result.anomaly_map!.dims).toEqual([1, 224, 224]);
    await session.release();
  });

  it('bad input: clear messages, non-zero exit, JSON error objects, nothing written', async () => {
    const missing = await padim(
      'fit',
      '--data',
      join(dir, 'nope'),
      '--out',
      join(dir, 'never'),
      '--random-init',
      '--json',
    );
    expect(missing.code).not.toBe(0);
    expect(JSON.parse(missing.stdout)).toMatchObject({
      error: { message: expect.stringMatching(/not a folder/) },
    });
    expect(existsSync(join(dir, 'never'))).toBe(false);

    const noModel = await padim('eval', '--model', join(dir, 'nomodel'), '--data', data);
    expect(noModel.code).not.toBe(0);
    expect(noModel.stderr).toMatch(/not a PaDiM model folder/);

    writeFileSync(
      join(dir, 'truncated.png'),
      readFileSync(join(data, 'test', 'good', '000.png')).subarray(0, 200),
    );
    const truncated = await padim('score', '--model', model, join(dir, 'truncated.png'), '--json');
    expect(truncated.code).not.toBe(0);
    expect(JSON.parse(truncated.stdout)).toMatchObject({ error: { code: 'CORRUPT_IMAGE' } });

    const custom = await padim(
      'fit',
      '--data',
      data,
      '--out',
      join(dir, 'never'),
      '--backbone',
      'custom',
    );
    expect(custom.stderr).toMatch(/--weights FILE.onnx and --taps/);

    const tooMany = await padim(
      'fit',
      '--data',
      data,
      '--out',
      join(dir, 'never'),
      '--random-init',
      '--d',
      '449',
    );
    expect(tooMany.code).not.toBe(0);
    expect(tooMany.stderr).toMatch(/d = 449 is larger than the 448 channels/);
    expect(existsSync(join(dir, 'never'))).toBe(false);

    const offline = await padim('fit', '--data', data, '--out', join(dir, 'never'));
    expect(offline.code).not.toBe(0);
    expect(offline.stderr).toMatch(/put the file at .*resnet18\.tv_in1k\.safetensors/);
  });

  it.skipIf(!existsSync(SHARED_MOBILENET))(
    'a custom ONNX backbone (the shared ImageNet MobileNetV2) fits and exports one graph',
    async () => {
      const out = join(dir, 'model-mnv2');
      const fit = json<{
        manifest: { backbone: string; dims: number; taps: { channels: number }[] };
      }>(
        await padim(
          'fit',
          '--data',
          data,
          '--out',
          out,
          '--backbone',
          'custom',
          '--weights',
          SHARED_MOBILENET,
          '--taps',
          'feat_s4,feat_s8,feat_s16',
          '--json',
        ),
      );
      expect(fit.manifest.backbone).toBe('custom');
      expect(fit.manifest.taps.map((t) => t.channels)).toEqual([24, 32, 96]);
      expect(fit.manifest.dims).toBe(100);
      const evalRun = json<{ image_auroc: number }>(
        await padim('eval', '--model', out, '--data', data, '--json'),
      );
      expect(evalRun.image_auroc).toBeGreaterThan(0.8);
    },
  );

  it('synth writes an MVTec-layout data set with masks, and refuses a bad size', async () => {
    const out = join(dir, 'synth');
    const r = await padim(
      'synth',
      '--out',
      out,
      '--size',
      '48',
      '--train',
      '3',
      '--test-good',
      '2',
      '--test-per-defect',
      '1',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ size: 48, train: 3 });
    for (const f of ['train/good/000.png', 'train/good/002.png', 'test/good/001.png'])
      expect(existsSync(join(out, f))).toBe(true);
    for (const kind of ['scratch', 'spot', 'crack', 'missing']) {
      expect(existsSync(join(out, 'test', kind, '000.png'))).toBe(true);
      expect(existsSync(join(out, 'ground_truth', kind, '000_mask.png'))).toBe(true);
    }
    const bad = await padim('synth', '--out', join(dir, 'nope'), '--size', '8');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--size/);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });
});
