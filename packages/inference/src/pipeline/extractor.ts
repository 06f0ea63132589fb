import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FeatureMaps, PadimModelFile } from '@padim/core';
import {
  RANDOM_INIT_LABEL,
  addResNet,
  randomResNetWeights,
  weightsFromSafetensors,
  type TorchWeights,
} from '../backbones/index.js';
import { addPadimHead, appendHeadToModel } from '../detector/index.js';
import { GraphBuilder, type SerializedModel } from '../onnx/graph.js';
import type { Normalization } from '../preprocess/index.js';
import {
  openSession,
  runFloat,
  type LoadedSession,
  type RuntimeOptions,
} from '../runtime/session.js';

export type BuiltinBackbone = 'resnet18' | 'wide_resnet50_2';

/** Models past this size keep their statistics in an external data file (protobuf's limit is 2 GB). */
export const EXTERNAL_DATA_THRESHOLD = 1_500_000_000;
export const DETECTOR_FILE = 'detector.onnx';
export const DETECTOR_DATA_FILE = 'detector.onnx.data';

export type BackboneConfig =
  | {
      readonly kind: BuiltinBackbone;
      /** torchvision-format safetensors file; absent = the seeded random-init variant. */
      readonly weightsPath?: string;
      readonly randomSeed?: number;
      /** 1-based ResNet stages to tap, default [1, 2, 3]. */
      readonly layers?: readonly number[];
    }
  | {
      readonly kind: 'custom';
      /** An ONNX file whose graph outputs include the tap tensors. */
      readonly onnxPath: string;
      /** Tap output names in level order (the first defines the patch grid). */
      readonly taps: readonly string[];
      readonly normalization: Normalization;
      /** Name of the image input; default: the model's first input. */
      readonly inputName?: string;
    };

export interface TapInfo {
  readonly name: string;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/** What a model records about its feature extractor. */
export interface BackboneDescription {
  readonly backbone: string;
  readonly weights: string;
  readonly weightsSha256: string;
  readonly layers: readonly string[];
  readonly normalization: Normalization;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A CNN that turns preprocessed images [B, 3, S, S] into feature maps (the taps), on onnxruntime.
 * Built-in ResNets are generated as ONNX graphs from torchvision-format weights; a custom backbone
 * is any ONNX file plus the names of its tap outputs.
 */
export class FeatureExtractor {
  private constructor(
    readonly description: BackboneDescription,
    private readonly loaded: LoadedSession,
    private readonly inputName: string,
    private readonly tapNames: readonly string[],
    private readonly build: (
      model: PadimModelFile,
      taps: readonly TapInfo[],
      imageSize: number,
    ) => SerializedModel,
  ) {}

  get provider(): string {
    return this.loaded.provider;
  }

  static async open(
    config: BackboneConfig,
    runtime: RuntimeOptions = {},
  ): Promise<FeatureExtractor> {
    if (config.kind === 'custom') {
      const onnx = new Uint8Array(await readFile(config.onnxPath));
      const loaded = await openSession(onnx, runtime);
      const missing = config.taps.filter((t) => !loaded.outputNames.includes(t));
      if (missing.length > 0) {
        await loaded.session.release();
        throw new Error(
          `custom backbone ${config.onnxPath}: tap(s) ${missing.join(', ')} are not graph outputs (outputs: ${loaded.outputNames.join(', ')})`,
        );
      }
      const inputName = config.inputName ?? loaded.inputNames[0]!;
      const description: BackboneDescription = {
        backbone: 'custom',
        weights: config.onnxPath.split('/').pop() ?? 'custom.onnx',
        weightsSha256: sha256(onnx),
        layers: config.taps,
        normalization: config.normalization,
      };
      return new FeatureExtractor(
        description,
        loaded,
        inputName,
        config.taps,
        (model, taps, imageSize) => {
          const { dims: d, height, width } = model.gaussian;
          const large = height * width * d * d * 4 > EXTERNAL_DATA_THRESHOLD;
          return appendHeadToModel(
            onnx,
            taps.map((t) => t.name),
            taps,
            model,
            {
              imageHeight: imageSize,
              imageWidth: imageSize,
              ...(large
                ? { externalData: { location: DETECTOR_DATA_FILE, minBytes: 1_000_000 } }
                : {}),
            },
          );
        },
      );
    }

    const layers = [...new Set(config.layers ?? [1, 2, 3])].sort((a, b) => a - b);
    let weights: TorchWeights;
    let weightsLabel: string;
    let weightsSha = '';
    if (config.weightsPath) {
      const bytes = new Uint8Array(await readFile(config.weightsPath));
      weights = weightsFromSafetensors(bytes, config.kind);
      weightsSha = sha256(bytes);
      weightsLabel = config.weightsPath.split('/').pop() ?? 'weights.safetensors';
    } else {
      const seed = config.randomSeed ?? 0;
      weights = randomResNetWeights(config.kind, seed);
      weightsLabel = `${RANDOM_INIT_LABEL} (seed ${seed})`;
    }
    const arch = config.kind;
    const g = new GraphBuilder(`${arch}_features`);
    const input = g.input('image', ['batch', 3, 'height', 'width']);
    const taps = addResNet(g, input, arch, weights, layers);
    taps.forEach((tap, i) =>
      g.output(tap.name, `layer${layers[i]}`, ['batch', tap.channels, 'h', 'w']),
    );
    const loaded = await openSession(g.serialize().model, runtime);
    const description: BackboneDescription = {
      backbone: arch,
      weights: weightsLabel,
      weightsSha256: weightsSha,
      layers: layers.map((l) => `layer${l}`),
      normalization: { kind: 'imagenet' },
    };
    return new FeatureExtractor(
      description,
      loaded,
      'image',
      layers.map((l) => `layer${l}`),
      (model, tapInfo, imageSize) => {
        const det = new GraphBuilder(`${arch}_padim_detector`);
        const image = det.input('image', ['batch', 3, imageSize, imageSize]);
        const values = addResNet(det, image, arch, weights, layers);
        addPadimHead(
          det,
          values.map((v, i) => ({
            name: v.name,
            channels: tapInfo[i]!.channels,
            height: tapInfo[i]!.height,
            width: tapInfo[i]!.width,
          })),
          model,
          { imageHeight: imageSize, imageWidth: imageSize },
        );
        return det.serialize({
          metadata: { backbone: arch, weights: weightsLabel },
          ...(det.weightBytes > EXTERNAL_DATA_THRESHOLD
            ? { externalData: { location: DETECTOR_DATA_FILE, minBytes: 1_000_000 } }
            : {}),
        });
      },
    );
  }

  /** Feature maps of a batch [B, 3, S, S], in tap order. */
  async extract(batch: Float32Array, size: number): Promise<FeatureMaps[]> {
    const count = batch.length / (3 * size * size);
    const out = await runFloat(
      this.loaded,
      { [this.inputName]: { data: batch, dims: [count, 3, size, size] } },
      this.tapNames,
    );
    return this.tapNames.map((name) => {
      const t = out[name]!;
      if (t.dims.length !== 4)
        throw new Error(`tap ${name} has rank ${t.dims.length}, expected 4 ([B, C, H, W])`);
      return { data: t.data, shape: [t.dims[0]!, t.dims[1]!, t.dims[2]!, t.dims[3]!] as const };
    });
  }

  /** The one-graph detector (backbone + PaDiM head) for a fitted model. */
  buildDetector(
    model: PadimModelFile,
    taps: readonly TapInfo[],
    imageSize: number,
  ): SerializedModel {
    return this.build(model, taps, imageSize);
  }

  async release(): Promise<void> {
    await this.loaded.session.release();
  }
}
