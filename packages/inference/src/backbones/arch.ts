/**
 * The torchvision ResNet architectures we build, as plain data: which convolutions exist, their
 * shapes, strides and state_dict keys. The graph builder (resnet.ts), the weight validation and the
 * random initialisation (weights.ts) all walk this one plan, so they cannot disagree.
 *
 * torchvision (v1.5 ResNets, `torchvision.models.resnet`):
 *   stem:   conv1 7x7/2 pad 3 (3 -> 64), bn1, relu, maxpool 3x3/2 pad 1           -> stride 4
 *   layerN: blocks of planes = 64 * 2^(N-1); the first block of layer2/layer3 has stride 2 (layer1: 1)
 *   BasicBlock (resnet18, [2, 2, 2] blocks, expansion 1):
 *     conv1 3x3/s (in -> planes), bn1, relu, conv2 3x3 (planes -> planes), bn2, (+ identity), relu
 *   Bottleneck (wide_resnet50_2, [3, 4, 6] blocks, expansion 4, width = planes * 2, i.e.
 *   width_per_group 128; the stride sits on the 3x3 conv):
 *     conv1 1x1 (in -> width), bn1, relu, conv2 3x3/s (width -> width), bn2, relu,
 *     conv3 1x1 (width -> 4 planes), bn3, (+ identity), relu
 *   downsample (first block when the stride or the channel count changes):
 *     downsample.0 conv 1x1/s (in -> out), downsample.1 bn
 * layer4 and fc are never built (PaDiM taps layer1..layer3).
 */
import { BackboneError, BackboneErrorCode } from './errors.js';

export const RESNET_ARCHS = ['resnet18', 'wide_resnet50_2'] as const;
export type ResNetArch = (typeof RESNET_ARCHS)[number];

/** The deepest layer we build (layer4 is not part of the PaDiM backbones). */
export const MAX_RESNET_LAYER = 3;

/** One convolution followed by an eval-mode BatchNorm (folded into it at build time). */
export interface ConvBnPlan {
  /** state_dict prefix of the conv, e.g. 'layer2.0.conv1' or 'layer2.0.downsample.0'. */
  readonly conv: string;
  /** state_dict prefix of the BatchNorm, e.g. 'layer2.0.bn1' or 'layer2.0.downsample.1'. */
  readonly bn: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;
}

export interface BlockPlan {
  /** e.g. 'layer1.0'. */
  readonly name: string;
  /** The main path, in order; a ReLU follows every conv but the last (which precedes the add). */
  readonly main: readonly ConvBnPlan[];
  readonly downsample?: ConvBnPlan;
  readonly outChannels: number;
}

export interface LayerPlan {
  /** 1, 2 or 3. */
  readonly layer: number;
  readonly blocks: readonly BlockPlan[];
  /** Channels of the layer's output. */
  readonly channels: number;
  /** Total stride of the layer's output relative to the input image. */
  readonly stride: number;
}

export interface ResNetPlan {
  readonly arch: ResNetArch;
  /** conv1 + bn1 (then relu and the 3x3/2 maxpool). */
  readonly stem: ConvBnPlan;
  readonly layers: readonly LayerPlan[];
}

export type WeightKind = 'conv' | 'bn.weight' | 'bn.bias' | 'bn.running_mean' | 'bn.running_var';

export interface WeightSpec {
  /** The torchvision state_dict key. */
  readonly key: string;
  readonly shape: readonly number[];
  readonly kind: WeightKind;
}

interface ArchConfig {
  readonly block: 'basic' | 'bottleneck';
  readonly blocks: readonly number[];
  readonly expansion: number;
  /** width = planes * widthFactor (bottleneck only; width_per_group / 64). */
  readonly widthFactor: number;
}

const CONFIGS: Readonly<Record<ResNetArch, ArchConfig>> = {
  resnet18: { block: 'basic', blocks: [2, 2, 2], expansion: 1, widthFactor: 1 },
  wide_resnet50_2: { block: 'bottleneck', blocks: [3, 4, 6], expansion: 4, widthFactor: 2 },
};

export function isResNetArch(value: unknown): value is ResNetArch {
  return typeof value === 'string' && (RESNET_ARCHS as readonly string[]).includes(value);
}

/** @throws BackboneError INVALID_ARGUMENT unless `arch` is one of RESNET_ARCHS. */
export function assertResNetArch(arch: unknown): asserts arch is ResNetArch {
  if (!isResNetArch(arch)) {
    throw new BackboneError(
      BackboneErrorCode.INVALID_ARGUMENT,
      `unknown backbone ${JSON.stringify(arch)} (supported: ${RESNET_ARCHS.join(', ')})`,
    );
  }
}

function convBn(
  conv: string,
  bn: string,
  inChannels: number,
  outChannels: number,
  kernel: number,
  stride: number,
): ConvBnPlan {
  return { conv, bn, inChannels, outChannels, kernel, stride, pad: (kernel - 1) >> 1 };
}

/** The architecture's plan up to layer3 (see the module comment). */
export function resnetPlan(arch: ResNetArch): ResNetPlan {
  assertResNetArch(arch);
  const config = CONFIGS[arch];
  const stem = convBn('conv1', 'bn1', 3, 64, 7, 2);
  const layers: LayerPlan[] = [];
  let inplanes = 64;
  let totalStride = 4; // conv1 /2, maxpool /2
  config.blocks.forEach((count, index) => {
    const layer = index + 1;
    const planes = 64 << index;
    const layerStride = layer === 1 ? 1 : 2;
    totalStride *= layerStride;
    const out = planes * config.expansion;
    const blocks: BlockPlan[] = [];
    for (let b = 0; b < count; b++) {
      const name = `layer${layer}.${b}`;
      const stride = b === 0 ? layerStride : 1;
      const main =
        config.block === 'basic'
          ? [
              convBn(`${name}.conv1`, `${name}.bn1`, inplanes, planes, 3, stride),
              convBn(`${name}.conv2`, `${name}.bn2`, planes, planes, 3, 1),
            ]
          : [
              convBn(`${name}.conv1`, `${name}.bn1`, inplanes, planes * config.widthFactor, 1, 1),
              convBn(
                `${name}.conv2`,
                `${name}.bn2`,
                planes * config.widthFactor,
                planes * config.widthFactor,
                3,
                stride,
              ),
              convBn(`${name}.conv3`, `${name}.bn3`, planes * config.widthFactor, out, 1, 1),
            ];
      const needsDownsample = stride !== 1 || inplanes !== out;
      const downsample = needsDownsample
        ? convBn(`${name}.downsample.0`, `${name}.downsample.1`, inplanes, out, 1, stride)
        : undefined;
      blocks.push(
        downsample
          ? { name, main, downsample, outChannels: out }
          : { name, main, outChannels: out },
      );
      inplanes = out;
    }
    layers.push({ layer, blocks, channels: out, stride: totalStride });
  });
  return { arch, stem, layers };
}

function convBnWeights(c: ConvBnPlan): WeightSpec[] {
  return [
    {
      key: `${c.conv}.weight`,
      shape: [c.outChannels, c.inChannels, c.kernel, c.kernel],
      kind: 'conv',
    },
    { key: `${c.bn}.weight`, shape: [c.outChannels], kind: 'bn.weight' },
    { key: `${c.bn}.bias`, shape: [c.outChannels], kind: 'bn.bias' },
    { key: `${c.bn}.running_mean`, shape: [c.outChannels], kind: 'bn.running_mean' },
    { key: `${c.bn}.running_var`, shape: [c.outChannels], kind: 'bn.running_var' },
  ];
}

/**
 * The weights the backbone up to `upToLayer` needs, in torchvision's state_dict order (module
 * registration order: conv1, bn1, conv2, bn2, [conv3, bn3,] downsample; within a BatchNorm: weight,
 * bias, running_mean, running_var), without num_batches_tracked (unused in eval mode).
 */
export function resnetWeightSpec(
  arch: ResNetArch,
  upToLayer: number = MAX_RESNET_LAYER,
): WeightSpec[] {
  const plan = resnetPlan(arch);
  const specs = convBnWeights(plan.stem);
  for (const layer of plan.layers) {
    if (layer.layer > upToLayer) break;
    for (const block of layer.blocks) {
      for (const c of block.main) specs.push(...convBnWeights(c));
      if (block.downsample) specs.push(...convBnWeights(block.downsample));
    }
  }
  return specs;
}
