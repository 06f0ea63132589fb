/**
 * The paper's backbones (Defard et al. 2020, PaDiM): the channels and strides of the torchvision ResNet
 * layers whose features are concatenated into the patch embedding, and the paper's random reduction
 * Rd of that embedding. Pure data, importable on its own as `@padim/core/backbones` (for the
 * dashboard's forms, without the numeric code).
 */
import { PadimError, PadimErrorCode } from './errors.js';

/** Channels and output stride of each feature layer of a backbone. */
export interface BackboneSpec {
  /** [L] channels of each layer, in network order. */
  readonly channels: readonly number[];
  /** [L] output stride of each layer relative to the input image. */
  readonly strides: readonly number[];
  /** [L] layer names; `layer1`, `layer2`, ... when omitted. */
  readonly layerNames?: readonly string[];
}

export type BackboneName = 'resnet18' | 'wide_resnet50_2';

/** The torchvision backbones of the paper: ResNet `layer1..layer3`. */
export const BACKBONES: Readonly<Record<BackboneName, Required<BackboneSpec>>> = Object.freeze({
  resnet18: Object.freeze({
    channels: Object.freeze([64, 128, 256]),
    strides: Object.freeze([4, 8, 16]),
    layerNames: Object.freeze(['layer1', 'layer2', 'layer3']),
  }),
  wide_resnet50_2: Object.freeze({
    channels: Object.freeze([256, 512, 1024]),
    strides: Object.freeze([4, 8, 16]),
    layerNames: Object.freeze(['layer1', 'layer2', 'layer3']),
  }),
});

/**
 * The paper's Rd per backbone: how many of the embedding's channels the random dimensionality
 * reduction keeps (Sec. 4.1 and Table II: "R18-Rd100", "WR50-Rd550"), the default `d` of a training.
 */
export const PAPER_RD: Readonly<Record<BackboneName, number>> = Object.freeze({
  resnet18: 100,
  wide_resnet50_2: 550,
});

/**
 * Size of the full patch embedding of a backbone before any reduction: the sum of the channels of
 * all its layers (`layer1..layer3` concatenated), the largest valid `d`. (embeddingChannels gives
 * the same sum for feature maps already extracted.) resnet18: 64 + 128 + 256 =
 * 448; wide_resnet50_2: 256 + 512 + 1024 = 1792.
 *
 * @throws PadimError INVALID_ARGUMENT for a name that is not a key of BACKBONES.
 */
export function backboneEmbeddingSize(backbone: BackboneName): number {
  if (!Object.hasOwn(BACKBONES, backbone)) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `backboneEmbeddingSize: unknown backbone "${String(backbone)}" (known: ${Object.keys(BACKBONES).join(', ')})`,
    );
  }
  return BACKBONES[backbone].channels.reduce((sum, c) => sum + c, 0);
}
