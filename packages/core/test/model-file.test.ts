import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  GaussianAccumulator,
  MODEL_FILE_VERSION,
  PadimErrorCode,
  PcaAccumulator,
  decodeAccumulator,
  decodeModelFile,
  decodeSafetensors,
  encodeAccumulator,
  encodeModelFile,
  encodeSafetensors,
  mahalanobisMaps,
  randomChannelIndices,
  type FeatureMaps,
  type PadimModelFile,
  type PadimModelInfo,
} from '../src/index.js';
import { maxRelativeError, pseudoRandom } from './helpers/fixtures.js';

const [B, D, H, W] = [12, 6, 3, 2];
const train: FeatureMaps = { data: pseudoRandom(B * D * H * W, 5, 1, 2), shape: [B, D, H, W] };
const acc = GaussianAccumulator.create(H, W, D);
acc.add(train);
const gaussian = acc.finalize();
const info: PadimModelInfo = {
  backbone: 'resnet18',
  weights: 'random-init (seed 0): not for real use',
  weightsSha256: '',
  layers: ['layer1', 'layer2', 'layer3'],
  embeddingChannels: 10,
  imageSize: 224,
  protocol: 'mvtec',
  mapResize: 'bicubic',
  blurSigma: 4,
};
const model: PadimModelFile = {
  info,
  reduction: { kind: 'random', seed: 3, indices: randomChannelIndices(10, D, 3) },
  gaussian,
};
const code = (c: PadimErrorCode) => expect.objectContaining({ code: c });

describe('model file (safetensors)', () => {
  it('round-trips full fp32 exactly', () => {
    const back = decodeModelFile(encodeModelFile(model));
    expect(back.info).toEqual(info);
    expect(back.reduction).toEqual(model.reduction);
    expect(back.gaussian).toEqual(gaussian);
  });

  it('packed fp32 is smaller and round-trips exactly; fp16 is within half precision', () => {
    const full = encodeModelFile(model);
    const packed = encodeModelFile(model, { layout: 'packed' });
    expect(packed.byteLength).toBeLessThan(full.byteLength);
    expect(decodeModelFile(packed).gaussian).toEqual(gaussian);
    const half = decodeModelFile(encodeModelFile(model, { precision: 'fp16', layout: 'packed' }));
    expect(
      maxRelativeError(half.gaussian.precisionFactor, gaussian.precisionFactor, 1e-2),
    ).toBeLessThan(1e-3);
    expect(half.gaussian.mean).toEqual(gaussian.mean);
  });

  it('stores everything a score depends on in its metadata', () => {
    const { metadata, tensors } = decodeSafetensors(encodeModelFile(model));
    expect(metadata).toMatchObject({
      format: 'padim-model',
      format_version: String(MODEL_FILE_VERSION),
      backbone: 'resnet18',
      layers: 'layer1,layer2,layer3',
      eps: '0.01',
      seed: '3',
      grid_height: '3',
      grid_width: '2',
      image_size: '224',
      protocol: 'mvtec',
      map_resize: 'bicubic',
      count: String(B),
    });
    expect(tensors.channel_indices?.dtype).toBe('I64');
  });

  it('round-trips a PCA reduction', () => {
    const pcaAcc = new PcaAccumulator(D);
    pcaAcc.add(train);
    const pca = pcaAcc.fit(D);
    const pcaModel: PadimModelFile = {
      info: { ...info, embeddingChannels: D },
      reduction: { kind: 'pca', pca },
      gaussian,
    };
    const back = decodeModelFile(encodeModelFile(pcaModel));
    expect(back.reduction).toEqual(pcaModel.reduction);
  });

  it('rejects foreign, newer, truncated and inconsistent files with typed errors', () => {
    const bytes = encodeModelFile(model);
    expect(() => decodeModelFile(bytes.subarray(0, bytes.length - 3))).toThrowError(
      code(PadimErrorCode.MALFORMED_DATA),
    );
    expect(() => decodeModelFile(encodeSafetensors({}, { format: 'other' }))).toThrowError(
      code(PadimErrorCode.UNSUPPORTED_FORMAT),
    );
    const { metadata, tensors } = decodeSafetensors(bytes, { copy: true });
    expect(() =>
      decodeModelFile(encodeSafetensors(tensors, { ...metadata, format_version: '99' })),
    ).toThrowError(code(PadimErrorCode.UNSUPPORTED_FORMAT));
    expect(() =>
      decodeModelFile(encodeSafetensors(tensors, { ...metadata, dims: '7' })),
    ).toThrowError(code(PadimErrorCode.MALFORMED_DATA));
    const { mean: _mean, ...withoutMean } = tensors;
    expect(() => decodeModelFile(encodeSafetensors(withoutMean, metadata))).toThrowError(
      /"mean" is missing/,
    );
    expect(() =>
      decodeModelFile(encodeSafetensors(tensors, { ...metadata, protocol: 'x' })),
    ).toThrowError(code(PadimErrorCode.MALFORMED_DATA));
  });
});

describe('accumulator checkpoint', () => {
  it('round-trips and continues to fit exactly', () => {
    const half = GaussianAccumulator.create(H, W, D);
    const per = D * H * W;
    half.add({ data: train.data.slice(0, 5 * per), shape: [5, D, H, W] });
    const { accumulator, metadata } = decodeAccumulator(
      encodeAccumulator(half.state(), { job: 'j1' }),
    );
    expect(metadata.job).toBe('j1');
    accumulator.add({ data: train.data.slice(5 * per), shape: [B - 5, D, H, W] });
    expect(maxRelativeError(accumulator.state().m2, acc.state().m2, 1e-9)).toBeLessThan(1e-10);
    expect(() => decodeAccumulator(encodeModelFile(model))).toThrowError(
      code(PadimErrorCode.UNSUPPORTED_FORMAT),
    );
  });
});

const python = '/usr/bin/python3';
const hasNumpy = (() => {
  try {
    execFileSync(python, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasNumpy)(
  'readable from Python with numpy alone (skipped without /usr/bin/python3 + numpy)',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'padim-model-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const script = fileURLToPath(new URL('../scripts/read_model_numpy.py', import.meta.url));

    it.each(['full', 'packed'] as const)(
      'numpy computes the same distances (%s layout)',
      (layout) => {
        expect(existsSync(script)).toBe(true);
        const path = join(dir, `model-${layout}.safetensors`);
        writeFileSync(path, encodeModelFile(model, { layout }));
        const test: FeatureMaps = {
          data: pseudoRandom(2 * D * H * W, 9, 1, 2),
          shape: [2, D, H, W],
        };
        const embPath = join(dir, 'emb.f32');
        writeFileSync(embPath, new Uint8Array(test.data.buffer));
        const fromPython = JSON.parse(
          execFileSync(python, [script, path, embPath, '2'], { encoding: 'utf8' }),
        ) as number[];
        expect(maxRelativeError(mahalanobisMaps(test, gaussian).data, fromPython)).toBeLessThan(
          1e-5,
        );
      },
    );
  },
);
