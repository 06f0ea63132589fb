/**
 * torchvision ResNet backbones as ONNX graphs, truncated after the deepest tapped layer (at most
 * layer3: PaDiM never needs layer4 or fc, about a quarter of the compute).
 *
 * Eval-mode BatchNorm is folded into the preceding convolution at build time (in float64, stored as
 * float32): y = gamma * (conv(x) - mean) / sqrt(var + eps) + beta becomes a Conv with
 *   W' = W * s,  b' = beta - mean * s,  s = gamma / sqrt(var + eps),  eps = 1e-5 (torchvision's).
 * The graph therefore holds only Conv, Relu, MaxPool and Add nodes.
 */
import { GraphBuilder } from '../onnx/graph.js';
import {
  MAX_RESNET_LAYER,
  assertResNetArch,
  resnetPlan,
  type ConvBnPlan,
  type ResNetArch,
} from './arch.js';
import { BackboneError, BackboneErrorCode } from './errors.js';
import { describeWeights, validateResNetWeights, weightsOrigin } from './weights.js';
import type { TorchTensor, TorchWeights } from './weights.js';

/** torchvision's BatchNorm2d eps. */
export const BATCH_NORM_EPS = 1e-5;

/** One tapped feature map of a backbone graph. */
export interface BackboneTap {
  /** 1, 2 or 3 (layer1..layer3). */
  readonly layer: number;
  /** The graph value holding the feature map [batch, channels, H / stride, W / stride]. */
  readonly name: string;
  readonly channels: number;
  /** Downsampling factor relative to the input image (4, 8, 16). */
  readonly stride: number;
}

/** Input value name of `buildBackboneModel`'s graph. */
export const BACKBONE_INPUT = 'image';

/**
 * Folds an eval-mode BatchNorm into the convolution before it (see the module comment).
 *
 * @param weight conv weight [out, in, kh, kw] (row-major), not modified.
 * @param bn gamma, beta, running mean and variance, each [out].
 * @returns the folded weight (same shape) and bias [out], float32 rounded from float64.
 */
export function foldBatchNorm(
  weight: Float32Array,
  bn: {
    readonly weight: Float32Array;
    readonly bias: Float32Array;
    readonly runningMean: Float32Array;
    readonly runningVar: Float32Array;
  },
  eps: number = BATCH_NORM_EPS,
): { weight: Float32Array; bias: Float32Array } {
  const out = bn.weight.length;
  const per = weight.length / out;
  if (!Number.isInteger(per)) {
    throw new BackboneError(
      BackboneErrorCode.WEIGHT_SHAPE_MISMATCH,
      `foldBatchNorm: ${weight.length} conv weights are not a multiple of ${out} channels`,
    );
  }
  const folded = new Float32Array(weight.length);
  const bias = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    const scale = (bn.weight[o] as number) / Math.sqrt((bn.runningVar[o] as number) + eps);
    bias[o] = (bn.bias[o] as number) - (bn.runningMean[o] as number) * scale;
    for (let i = o * per, end = i + per; i < end; i++) folded[i] = (weight[i] as number) * scale;
  }
  return { weight: folded, bias };
}

function tensor(weights: TorchWeights, key: string): TorchTensor {
  const t = weights.get(key);
  if (t === undefined) {
    // validateResNetWeights ran first; this only guards against a map mutated in between.
    throw new BackboneError(BackboneErrorCode.MISSING_WEIGHT, `"${key}" is missing`, { key });
  }
  return t;
}

function normaliseLayers(layers: readonly number[]): number[] {
  const sorted = [...layers].sort((a, b) => a - b);
  const valid =
    sorted.length > 0 &&
    sorted.every((l) => Number.isInteger(l) && l >= 1 && l <= MAX_RESNET_LAYER) &&
    sorted.every((l, i) => i === 0 || l !== sorted[i - 1]);
  if (!valid) {
    throw new BackboneError(
      BackboneErrorCode.INVALID_ARGUMENT,
      `layers must be distinct integers in [1, ${MAX_RESNET_LAYER}], got [${layers.join(', ')}]`,
    );
  }
  return sorted;
}

/**
 * Adds a torchvision ResNet (conv1/bn1/relu/maxpool, then layer1.. up to the deepest requested
 * layer) to `g`, reading `input` ([batch, 3, H, W] float32, already ImageNet-normalised: mean/std
 * is the preprocessing's job).
 *
 * @param layers which of layer1..layer3 to tap (any non-empty subset; nothing deeper than the
 *   deepest one is built).
 * @returns the taps in ascending layer order: resnet18 64/128/256 channels, wide_resnet50_2
 *   256/512/1024, at strides 4/8/16. Spatial sizes follow torchvision's arithmetic (a 224 input gives
 *   56/28/14).
 * @throws BackboneError INVALID_ARGUMENT (arch, layers), MISSING_WEIGHT / WEIGHT_SHAPE_MISMATCH
 *   naming the key.
 */
export function addResNet(
  g: GraphBuilder,
  input: string,
  arch: ResNetArch,
  weights: TorchWeights,
  layers: readonly number[] = [1, 2, 3],
): BackboneTap[] {
  assertResNetArch(arch);
  const wanted = normaliseLayers(layers);
  const deepest = wanted[wanted.length - 1] as number;
  validateResNetWeights(arch, weights, deepest);
  const plan = resnetPlan(arch);

  const convBn = (x: string, c: ConvBnPlan, relu: boolean): string => {
    const folded = foldBatchNorm(tensor(weights, `${c.conv}.weight`).data, {
      weight: tensor(weights, `${c.bn}.weight`).data,
      bias: tensor(weights, `${c.bn}.bias`).data,
      runningMean: tensor(weights, `${c.bn}.running_mean`).data,
      runningVar: tensor(weights, `${c.bn}.running_var`).data,
    });
    const w = g.initializer(`${arch}.${c.conv}.weight`, folded.weight, [
      c.outChannels,
      c.inChannels,
      c.kernel,
      c.kernel,
    ]);
    const b = g.initializer(`${arch}.${c.conv}.bias`, folded.bias, [c.outChannels]);
    const y = g.op('Conv', [x, w, b], {
      kernel_shape: [c.kernel, c.kernel],
      strides: [c.stride, c.stride],
      pads: [c.pad, c.pad, c.pad, c.pad],
    });
    return relu ? g.op('Relu', [y]) : y;
  };

  let x = convBn(input, plan.stem, true);
  x = g.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  const taps: BackboneTap[] = [];
  for (const layer of plan.layers) {
    if (layer.layer > deepest) break;
    for (const block of layer.blocks) {
      let y = x;
      block.main.forEach((c, i) => {
        y = convBn(y, c, i < block.main.length - 1);
      });
      const identity = block.downsample ? convBn(x, block.downsample, false) : x;
      x = g.op('Relu', [g.op('Add', [y, identity])]);
    }
    if (wanted.includes(layer.layer)) {
      taps.push({ layer: layer.layer, name: x, channels: layer.channels, stride: layer.stride });
    }
  }
  return taps;
}

/**
 * A standalone ONNX model of the backbone, for tests and benchmarks: input 'image'
 * [batch, 3, height, width] float32 (symbolic batch, height and width), outputs 'layer1'..'layer3'
 * as requested, each [batch, channels, layerN_height, layerN_width]. The model's metadata records
 * the architecture, the layers and `describeWeights` (so random-init weights stay labelled as such).
 */
export function buildBackboneModel(
  arch: ResNetArch,
  weights: TorchWeights,
  layers: readonly number[] = [1, 2, 3],
): Uint8Array {
  assertResNetArch(arch);
  const g = new GraphBuilder(`${arch}_backbone`);
  const image = g.input(BACKBONE_INPUT, ['batch', 3, 'height', 'width']);
  for (const tap of addResNet(g, image, arch, weights, layers)) {
    const name = `layer${tap.layer}`;
    g.output(tap.name, name, ['batch', tap.channels, `${name}_height`, `${name}_width`]);
  }
  const description = describeWeights(arch, weights);
  const { model } = g.serialize({
    docString: `torchvision ${arch} truncated after layer${Math.max(...layers)}, BatchNorm folded; weights: ${description}`,
    metadata: {
      'padim.backbone.arch': arch,
      'padim.backbone.layers': [...layers].sort((a, b) => a - b).join(','),
      'padim.backbone.weights': description,
      ...(weightsOrigin(weights)?.kind === 'random-init'
        ? { 'padim.backbone.random_init': 'true' }
        : {}),
    },
  });
  return model;
}
