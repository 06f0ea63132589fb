/**
 * torchvision-format ResNet weights: loading from safetensors, validation, a seeded random
 * initialisation for tests and offline demos, and the provenance label shown wherever a backbone is
 * mentioned (model metadata, CLI output, UI).
 */
import {
  createRng,
  decodeSafetensors,
  float16BitsToFloat32,
  type SafetensorsTensor,
} from '@padim/core';
import {
  MAX_RESNET_LAYER,
  assertResNetArch,
  resnetWeightSpec,
  type ResNetArch,
  type WeightSpec,
} from './arch.js';
import { BackboneError, BackboneErrorCode } from './errors.js';

/** One tensor of a state_dict: row-major float32 data of product(shape) elements. */
export interface TorchTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * A torchvision state_dict (or the part of it a backbone needs), keyed exactly as torchvision:
 * 'conv1.weight', 'bn1.running_mean', 'layer1.0.conv1.weight', 'layer2.0.downsample.1.running_var'...
 */
export type TorchWeights = ReadonlyMap<string, TorchTensor>;

/** The label of seeded random weights. Shown wherever such a backbone is mentioned. */
export const RANDOM_INIT_LABEL = 'random-init (not ImageNet: for tests and demos only)';

/** Where a set of weights came from (see `describeWeights`). */
export type WeightsOrigin =
  | { readonly kind: 'random-init'; readonly arch: ResNetArch; readonly seed: number }
  | {
      readonly kind: 'imagenet';
      readonly arch: ResNetArch;
      /** e.g. 'resnet18.tv_in1k'. */
      readonly name: string;
      readonly url: string;
      readonly sha256: string;
    }
  | { readonly kind: 'safetensors'; readonly arch: ResNetArch };

// Provenance travels with the weights object itself, so every consumer can label it correctly.
const origins = new WeakMap<TorchWeights, WeightsOrigin>();

/** Records where `weights` came from (for loaders of other sources); returns `weights`. */
export function setWeightsOrigin<W extends TorchWeights>(weights: W, origin: WeightsOrigin): W {
  origins.set(weights, origin);
  return weights;
}

/** Where `weights` came from, when a loader of this module recorded it. */
export function weightsOrigin(weights: TorchWeights): WeightsOrigin | undefined {
  return origins.get(weights);
}

/**
 * A one-line human description of a backbone and its weights, e.g.
 *   'resnet18, random-init (not ImageNet: for tests and demos only), seed 7'
 *   'wide_resnet50_2, ImageNet-1k (wide_resnet50_2.tv_in1k, sha256 df6fb6c48247...)'
 * Use it wherever the backbone is mentioned, so random weights are never mistaken for ImageNet ones.
 */
export function describeWeights(arch: ResNetArch, weights: TorchWeights): string {
  const origin = weightsOrigin(weights);
  switch (origin?.kind) {
    case 'random-init':
      return `${arch}, ${RANDOM_INIT_LABEL}, seed ${origin.seed}`;
    case 'imagenet':
      return `${arch}, ImageNet-1k (${origin.name}, sha256 ${origin.sha256.slice(0, 12)}...)`;
    case 'safetensors':
      return `${arch}, weights from a safetensors file (provenance not verified)`;
    case undefined:
      return `${arch}, weights of unknown provenance`;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Checks that `weights` holds every tensor the backbone up to `upToLayer` needs, with the right
 * shape and element count. Extra keys are allowed (and ignored by the builder).
 *
 * @throws BackboneError MISSING_WEIGHT / WEIGHT_SHAPE_MISMATCH naming the first offending key (in
 *   state_dict order).
 */
export function validateResNetWeights(
  arch: ResNetArch,
  weights: TorchWeights,
  upToLayer: number = MAX_RESNET_LAYER,
): void {
  for (const spec of resnetWeightSpec(arch, upToLayer)) {
    const tensor = weights.get(spec.key);
    if (tensor === undefined) {
      throw new BackboneError(
        BackboneErrorCode.MISSING_WEIGHT,
        `${arch} weights: "${spec.key}" ${formatShape(spec.shape)} is missing`,
        { key: spec.key },
      );
    }
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (!sameShape(tensor.shape, spec.shape) || tensor.data.length !== count) {
      throw new BackboneError(
        BackboneErrorCode.WEIGHT_SHAPE_MISMATCH,
        `${arch} weights: "${spec.key}" has shape ${formatShape(tensor.shape)} ` +
          `(${tensor.data.length} values), expected ${formatShape(spec.shape)}`,
        { key: spec.key },
      );
    }
  }
}

function toFloat32(key: string, tensor: SafetensorsTensor): Float32Array {
  switch (tensor.dtype) {
    case 'F32':
      return tensor.data.slice(); // own copy: decodeSafetensors' views alias the input bytes
    case 'F16':
      return float16BitsToFloat32(tensor.data);
    case 'BF16': {
      // bfloat16 is the top half of a float32: widening is exact.
      const bits = new Uint32Array(tensor.data.length);
      for (let i = 0; i < bits.length; i++) bits[i] = (tensor.data[i] as number) << 16;
      return new Float32Array(bits.buffer);
    }
    case 'F64':
      return Float32Array.from(tensor.data);
    default:
      throw new BackboneError(
        BackboneErrorCode.UNSUPPORTED_WEIGHT_DTYPE,
        `weights: "${key}" is ${tensor.dtype}; expected F32, F16, BF16 or F64`,
        { key },
      );
  }
}

/**
 * Reads torchvision-format ResNet weights from a safetensors file (e.g. timm's `*.tv_in1k`
 * republication, whose keys are torchvision's).
 *
 * Only the tensors the backbone up to layer3 needs are kept, converted to float32 (F32 copied; F16,
 * BF16 widened exactly; F64 rounded); num_batches_tracked, layer4.*, fc.* and any other key are
 * ignored. The result is labelled `{ kind: 'safetensors' }` (see `describeWeights`).
 *
 * @param bytes the whole file.
 * @param arch the architecture to validate against; when omitted it is inferred from the keys
 *   (a `layer1.0.conv3.weight` means the Bottleneck wide_resnet50_2, otherwise resnet18), and the
 *   validation below still names whatever is missing.
 * @throws PadimError MALFORMED_DATA / UNSUPPORTED_FORMAT (from core) for a malformed file;
 *   BackboneError MISSING_WEIGHT, WEIGHT_SHAPE_MISMATCH (naming the key) or
 *   UNSUPPORTED_WEIGHT_DTYPE; INVALID_ARGUMENT for an unknown `arch`.
 */
export function weightsFromSafetensors(bytes: Uint8Array, arch?: ResNetArch): TorchWeights {
  const { tensors } = decodeSafetensors(bytes);
  const resolved: ResNetArch =
    arch ?? ('layer1.0.conv3.weight' in tensors ? 'wide_resnet50_2' : 'resnet18');
  assertResNetArch(resolved);
  const weights = new Map<string, TorchTensor>();
  for (const spec of resnetWeightSpec(resolved)) {
    // Own-property lookup only: a key like "constructor" must not reach Object.prototype.
    const tensor = Object.hasOwn(tensors, spec.key) ? tensors[spec.key] : undefined;
    if (tensor === undefined) continue; // reported by validateResNetWeights, in order
    weights.set(spec.key, { shape: [...tensor.shape], data: toFloat32(spec.key, tensor) });
  }
  validateResNetWeights(resolved, weights);
  return setWeightsOrigin(weights, { kind: 'safetensors', arch: resolved });
}

function randomTensor(spec: WeightSpec, next: () => number): Float32Array {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count);
  switch (spec.kind) {
    case 'conv': {
      const fanIn = count / (spec.shape[0] as number);
      const bound = Math.sqrt(6 / fanIn);
      for (let i = 0; i < count; i++) out[i] = (next() * 2 - 1) * bound;
      break;
    }
    case 'bn.weight':
    case 'bn.running_var':
      for (let i = 0; i < count; i++) out[i] = 0.5 + next();
      break;
    case 'bn.bias':
    case 'bn.running_mean':
      for (let i = 0; i < count; i++) out[i] = 0.2 * (next() - 0.5);
      break;
  }
  return out;
}

/**
 * Seeded RANDOM weights of the architecture up to layer3: for tests, benchmarks and offline demos
 * only (labelled RANDOM_INIT_LABEL by `describeWeights`); never a substitute for ImageNet weights
 * in a real inspection.
 *
 * One `createRng(seed)` stream (xoshiro128** seeded through SplitMix32) is consumed key by key in
 * torchvision's state_dict order (`resnetWeightSpec`), each tensor in row-major order, with
 * u = rng.nextFloat():
 *   conv weight      (u * 2 - 1) * sqrt(6 / fan_in)   Kaiming-uniform, fan_in = in * kh * kw
 *   bn.weight        0.5 + u
 *   bn.bias          0.2 * (u - 0.5)
 *   bn.running_mean  0.2 * (u - 0.5)
 *   bn.running_var   0.5 + u
 * computed in float64 and rounded to float32. Only correctly rounded operations are involved, so
 * scripts/torchvision_golden.py regenerates the identical floats in Python.
 *
 * @throws PadimError INVALID_ARGUMENT (from createRng) unless seed is an integer in [0, 2^32).
 */
export function randomResNetWeights(arch: ResNetArch, seed: number): TorchWeights {
  assertResNetArch(arch);
  const rng = createRng(seed);
  const next = (): number => rng.nextFloat();
  const weights = new Map<string, TorchTensor>();
  for (const spec of resnetWeightSpec(arch)) {
    weights.set(spec.key, { shape: spec.shape, data: randomTensor(spec, next) });
  }
  return setWeightsOrigin(weights, { kind: 'random-init', arch, seed });
}
