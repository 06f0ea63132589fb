import { encodeSafetensors, float32ToFloat16Bits, PadimError, PadimErrorCode } from '@padim/core';
import type { SafetensorsTensor } from '@padim/core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/onnx/graph.js';
import { resnetWeightSpec } from '../../src/backbones/arch.js';
import { BackboneError, BackboneErrorCode } from '../../src/backbones/errors.js';
import { addResNet, buildBackboneModel, foldBatchNorm } from '../../src/backbones/resnet.js';
import {
  RANDOM_INIT_LABEL,
  describeWeights,
  randomResNetWeights,
  weightsFromSafetensors,
  weightsOrigin,
  type TorchWeights,
} from '../../src/backbones/weights.js';
import { modelMetadata, nodeOpTypes } from './helpers.js';

const r18 = randomResNetWeights('resnet18', 3);

function toSafetensors(
  weights: TorchWeights,
  edit: (tensors: Record<string, SafetensorsTensor>) => void = () => undefined,
): Uint8Array {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [key, t] of weights) tensors[key] = { dtype: 'F32', shape: t.shape, data: t.data };
  edit(tensors);
  return encodeSafetensors(tensors);
}

/** Bitwise equality of two float arrays (vitest's deep equality is slow on millions of elements). */
function sameFloats(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('addResNet / buildBackboneModel', () => {
  it('returns the taps with torchvision channels and strides', () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', ['batch', 3, 'h', 'w']);
    const taps = addResNet(g, x, 'resnet18', r18);
    expect(taps.map(({ layer, channels, stride }) => ({ layer, channels, stride }))).toEqual([
      { layer: 1, channels: 64, stride: 4 },
      { layer: 2, channels: 128, stride: 8 },
      { layer: 3, channels: 256, stride: 16 },
    ]);
    expect(new Set(taps.map((t) => t.name)).size).toBe(3);
  });

  it('folds every BatchNorm: only Conv, Relu, MaxPool, Add (and output Identity) nodes', () => {
    const ops = nodeOpTypes(buildBackboneModel('resnet18', r18));
    expect(new Set(ops)).toEqual(new Set(['Conv', 'Relu', 'MaxPool', 'Add', 'Identity']));
    // conv1 + layer1 (2 blocks x 2) + layer2 (2 x 2 + downsample) + layer3 (2 x 2 + downsample)
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(15);
  });

  it('layers [1] builds layer1 only: fewer nodes, one output', async () => {
    const full = nodeOpTypes(buildBackboneModel('resnet18', r18));
    const model = buildBackboneModel('resnet18', r18, [1]);
    const ops = nodeOpTypes(model);
    expect(ops.length).toBeLessThan(full.length);
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(5); // conv1 + 2 blocks x 2
    const session = await ort.InferenceSession.create(model);
    expect(session.outputNames).toEqual(['layer1']);
    const out = await session.run({
      image: new ort.Tensor('float32', new Float32Array(3 * 40 * 56).fill(0.5), [1, 3, 40, 56]),
    });
    expect(out['layer1']!.dims).toEqual([1, 64, 10, 14]);
    await session.release();
  });

  it('layers [1, 3] taps both, builds through layer3; layer1 equals the [1]-only model', async () => {
    const image = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => Math.sin(i * 0.37)),
      [2, 3, 32, 32],
    );
    const a = await ort.InferenceSession.create(buildBackboneModel('resnet18', r18, [3, 1]));
    const b = await ort.InferenceSession.create(buildBackboneModel('resnet18', r18, [1]));
    expect(a.outputNames).toEqual(['layer1', 'layer3']);
    const outA = await a.run({ image });
    const outB = await b.run({ image });
    expect(outA['layer3']!.dims).toEqual([2, 256, 2, 2]);
    expect(outA['layer1']!.data).toEqual(outB['layer1']!.data);
    await Promise.all([a.release(), b.release()]);
  });

  it('only needs the weights of the layers it builds', () => {
    const upToLayer1 = new Map([...r18].filter(([key]) => !/^layer[23]\./.test(key)));
    expect(() => buildBackboneModel('resnet18', upToLayer1, [1])).not.toThrow();
    const e = catchError(() => buildBackboneModel('resnet18', upToLayer1, [2]));
    expect(e).toBeInstanceOf(BackboneError);
    expect((e as BackboneError).code).toBe(BackboneErrorCode.MISSING_WEIGHT);
    expect((e as BackboneError).details.key).toBe('layer2.0.conv1.weight');
  });

  it.each([[[]], [[0]], [[4]], [[1, 1]], [[1.5]]])('rejects layers %j', (layers) => {
    const e = catchError(() => buildBackboneModel('resnet18', r18, layers));
    expect((e as BackboneError).code).toBe(BackboneErrorCode.INVALID_ARGUMENT);
  });

  it('rejects an unknown architecture', () => {
    const e = catchError(() => buildBackboneModel('resnet50' as 'resnet18', r18));
    expect(e).toBeInstanceOf(BackboneError);
    expect((e as BackboneError).message).toContain('resnet50');
  });

  it('labels random-init weights in the model metadata', () => {
    const meta = modelMetadata(buildBackboneModel('resnet18', r18, [1, 2]));
    expect(meta).toMatchObject({
      'padim.backbone.arch': 'resnet18',
      'padim.backbone.layers': '1,2',
      'padim.backbone.random_init': 'true',
    });
    expect(meta['padim.backbone.weights']).toContain(RANDOM_INIT_LABEL);
  });

  it('foldBatchNorm: W * g / sqrt(v + eps), b - m * g / sqrt(v + eps)', () => {
    const eps = 1e-5;
    const f = foldBatchNorm(
      Float32Array.from([1, 2, 3, 4]),
      {
        weight: Float32Array.from([3, 0.5]),
        bias: Float32Array.from([0.1, -1]),
        runningMean: Float32Array.from([1, -2]),
        runningVar: Float32Array.from([4, 0.0625]),
      },
      eps,
    );
    const s0 = 3 / Math.sqrt(4 + eps);
    const s1 = 0.5 / Math.sqrt(Math.fround(0.0625) + eps);
    expect(Array.from(f.weight)).toEqual([1 * s0, 2 * s0, 3 * s1, 4 * s1].map(Math.fround));
    expect(Array.from(f.bias)).toEqual([0.1 - 1 * s0, -1 + 2 * s1].map(Math.fround));
  });
});

describe('randomResNetWeights', () => {
  it('is deterministic per seed and labelled random-init', () => {
    const again = randomResNetWeights('resnet18', 3);
    const other = randomResNetWeights('resnet18', 4);
    for (const [key, t] of r18) expect(sameFloats(again.get(key)!.data, t.data), key).toBe(true);
    expect(sameFloats(other.get('conv1.weight')!.data, r18.get('conv1.weight')!.data)).toBe(false);
    expect(weightsOrigin(r18)).toEqual({ kind: 'random-init', arch: 'resnet18', seed: 3 });
    expect(describeWeights('resnet18', r18)).toBe(`resnet18, ${RANDOM_INIT_LABEL}, seed 3`);
  });

  it('follows the documented distributions', () => {
    const conv = r18.get('layer2.0.conv1.weight')!; // fan_in 64 * 9
    const bound = Math.sqrt(6 / (64 * 9));
    expect(Math.max(...conv.data.map(Math.abs))).toBeLessThanOrEqual(bound);
    const rv = r18.get('layer1.0.bn1.running_var')!.data;
    expect(rv.every((v) => v >= 0.5 && v < 1.5)).toBe(true);
    const mean = r18.get('layer1.0.bn1.running_mean')!.data;
    expect(mean.every((v) => v >= -0.1 && v < 0.1)).toBe(true);
  });

  it('rejects a bad seed', () => {
    const e = catchError(() => randomResNetWeights('resnet18', -1));
    expect(e).toBeInstanceOf(PadimError);
    expect((e as PadimError).code).toBe(PadimErrorCode.INVALID_ARGUMENT);
  });
});

describe('weightsFromSafetensors', () => {
  it('round-trips F32 and ignores num_batches_tracked, layer4.*, fc.*', () => {
    const bytes = toSafetensors(r18, (t) => {
      t['bn1.num_batches_tracked'] = { dtype: 'I64', shape: [], data: BigInt64Array.from([5n]) };
      t['layer4.0.conv1.weight'] = { dtype: 'F32', shape: [2], data: new Float32Array(2) };
      t['fc.weight'] = { dtype: 'I32', shape: [1], data: new Int32Array(1) };
    });
    const w = weightsFromSafetensors(bytes, 'resnet18');
    expect([...w.keys()]).toEqual(resnetWeightSpec('resnet18').map((s) => s.key));
    for (const [key, t] of r18) {
      expect(w.get(key)!.shape).toEqual(t.shape);
      expect(sameFloats(w.get(key)!.data, t.data), key).toBe(true);
    }
    expect(describeWeights('resnet18', w)).not.toContain('random-init');
    expect(weightsOrigin(w)).toEqual({ kind: 'safetensors', arch: 'resnet18' });
  });

  it('does not alias the input bytes', () => {
    const bytes = toSafetensors(r18);
    const w = weightsFromSafetensors(bytes);
    const before = w.get('conv1.weight')!.data[0];
    bytes.fill(0, bytes.length - 1000);
    bytes.fill(0, 1000, 5000);
    expect(w.get('conv1.weight')!.data[0]).toBe(before);
  });

  it('infers the architecture from the keys', () => {
    const wr = randomResNetWeights('wide_resnet50_2', 1);
    const small = new Map([...wr].filter(([k]) => !k.startsWith('layer3.')));
    // Without layer3 the Wide-ResNet is detected, and the first missing layer3 key is named.
    const e = catchError(() => weightsFromSafetensors(toSafetensors(small)));
    expect((e as BackboneError).code).toBe(BackboneErrorCode.MISSING_WEIGHT);
    expect((e as BackboneError).message).toContain('wide_resnet50_2');
    expect((e as BackboneError).message).toContain('"layer3.0.conv1.weight"');
    expect(weightsOrigin(weightsFromSafetensors(toSafetensors(r18)))?.arch).toBe('resnet18');
  });

  it('converts F16 and BF16 to F32', () => {
    const bytes = toSafetensors(r18, (t) => {
      const conv1 = r18.get('conv1.weight')!;
      t['conv1.weight'] = {
        dtype: 'F16',
        shape: conv1.shape,
        data: float32ToFloat16Bits(conv1.data),
      };
      const g = r18.get('bn1.weight')!.data;
      const bits = new Uint32Array(g.buffer, g.byteOffset, g.length);
      t['bn1.weight'] = {
        dtype: 'BF16',
        shape: [g.length],
        data: Uint16Array.from(bits, (b) => b >>> 16), // truncation: exact in the top bits
      };
    });
    const w = weightsFromSafetensors(bytes, 'resnet18');
    const conv = w.get('conv1.weight')!.data;
    const ref = r18.get('conv1.weight')!.data;
    for (let i = 0; i < conv.length; i++) {
      expect(Math.abs(conv[i]! - ref[i]!)).toBeLessThanOrEqual(
        Math.abs(ref[i]!) * 2 ** -11 + 2 ** -24,
      );
    }
    const bnRef = r18.get('bn1.weight')!.data;
    const truncated = new Float32Array(
      Uint32Array.from(
        new Uint32Array(bnRef.buffer, bnRef.byteOffset, bnRef.length),
        (b) => ((b >>> 16) << 16) >>> 0,
      ).buffer,
    );
    expect(sameFloats(w.get('bn1.weight')!.data, truncated)).toBe(true);
  });

  it('names a missing key', () => {
    const bytes = toSafetensors(r18, (t) => {
      delete t['layer2.0.downsample.1.running_var'];
    });
    const e = catchError(() => weightsFromSafetensors(bytes, 'resnet18'));
    expect(e).toBeInstanceOf(BackboneError);
    expect((e as BackboneError).code).toBe(BackboneErrorCode.MISSING_WEIGHT);
    expect((e as BackboneError).details.key).toBe('layer2.0.downsample.1.running_var');
    expect((e as BackboneError).message).toContain(
      '"layer2.0.downsample.1.running_var" [128] is missing',
    );
  });

  it('names a mis-shaped key', () => {
    const bytes = toSafetensors(r18, (t) => {
      const w = r18.get('layer1.1.conv2.weight')!;
      t['layer1.1.conv2.weight'] = { dtype: 'F32', shape: [64, 576], data: w.data };
    });
    const e = catchError(() => weightsFromSafetensors(bytes, 'resnet18'));
    expect((e as BackboneError).code).toBe(BackboneErrorCode.WEIGHT_SHAPE_MISMATCH);
    expect((e as BackboneError).details.key).toBe('layer1.1.conv2.weight');
    expect((e as BackboneError).message).toContain('[64, 576]');
    expect((e as BackboneError).message).toContain('expected [64, 64, 3, 3]');
  });

  it('rejects resnet18 weights loaded as wide_resnet50_2 by shape', () => {
    const e = catchError(() => weightsFromSafetensors(toSafetensors(r18), 'wide_resnet50_2'));
    expect((e as BackboneError).code).toBe(BackboneErrorCode.WEIGHT_SHAPE_MISMATCH);
    expect((e as BackboneError).details.key).toBe('layer1.0.conv1.weight');
  });

  it('rejects an integer dtype for a needed key', () => {
    const bytes = toSafetensors(r18, (t) => {
      t['bn1.bias'] = { dtype: 'I32', shape: [64], data: new Int32Array(64) };
    });
    const e = catchError(() => weightsFromSafetensors(bytes));
    expect((e as BackboneError).code).toBe(BackboneErrorCode.UNSUPPORTED_WEIGHT_DTYPE);
    expect((e as BackboneError).details.key).toBe('bn1.bias');
  });

  it('passes core errors through for malformed bytes', () => {
    const e = catchError(() => weightsFromSafetensors(new Uint8Array([1, 2, 3])));
    expect(e).toBeInstanceOf(PadimError);
    expect((e as PadimError).code).toBe(PadimErrorCode.MALFORMED_DATA);
  });
});
