import { PadimError, PadimErrorCode, type PadimModelFile } from '@padim/core';
import { GraphBuilder, OPSET_VERSION, type SerializedModel } from '../onnx/graph.js';
import {
  HEAD_OUTPUTS,
  HEAD_PREFIX,
  MIN_HEAD_OPSET,
  addPadimHead,
  type HeadOptions,
  type TapShape,
  type TapSpec,
} from './head.js';
import { defaultOpset, graphFragment, readModelSummary } from './onnx-reader.js';

/**
 * Protobuf cannot serialise messages past 2 GiB; models whose weights pass this size keep their
 * large tensors in an external data file (ONNX external data) unless told otherwise.
 */
export const EXTERNAL_DATA_THRESHOLD_BYTES = 1.5 * 2 ** 30;

/** The external data file used when a model passes EXTERNAL_DATA_THRESHOLD_BYTES on its own. */
export const DEFAULT_EXTERNAL_DATA = { location: 'padim_head.data', minBytes: 1 << 20 } as const;

export interface DetectorModelOptions extends HeadOptions {
  /**
   * Keep initializers of at least `minBytes` in a file `location` next to the model (load the model
   * by path then). Default: inline, or DEFAULT_EXTERNAL_DATA when the model would pass
   * EXTERNAL_DATA_THRESHOLD_BYTES. Whenever the result's `externalData` is not empty, write it to
   * `location` in the model's directory.
   */
  readonly externalData?: { readonly location: string; readonly minBytes: number };
  /** metadata_props of the model (buildHeadModel only). */
  readonly metadata?: Readonly<Record<string, string>>;
}

function externalDataFor(
  options: DetectorModelOptions,
  bytes: number,
): DetectorModelOptions['externalData'] {
  if (options.externalData) return options.externalData;
  return bytes >= EXTERNAL_DATA_THRESHOLD_BYTES ? DEFAULT_EXTERNAL_DATA : undefined;
}

/**
 * A standalone head model whose inputs are the taps ([batch, C, H, W] float32, named as given) and
 * whose outputs are HEAD_OUTPUTS: the detector's second session when a custom backbone runs as its
 * own session, and a way to test the head alone. The model imports `options.opset` (default
 * OPSET_VERSION) of the default domain.
 */
export function buildHeadModel(
  model: PadimModelFile,
  taps: readonly TapSpec[],
  options: DetectorModelOptions,
): SerializedModel {
  const opset = options.opset ?? OPSET_VERSION;
  const batch = options.batchDim ?? 'batch';
  const g = new GraphBuilder('padim_head');
  for (const tap of taps) g.input(tap.name, [batch, tap.channels, tap.height, tap.width]);
  addPadimHead(g, taps, model, { ...options, opset });
  return g.serialize({
    opsetVersion: opset,
    metadata: options.metadata,
    externalData: externalDataFor(options, g.weightBytes),
  });
}

/**
 * A self-contained detector from any ONNX model that computes the taps (as graph outputs or as
 * intermediate values): the head's nodes, initializers and outputs are appended to the serialized
 * backbone as a ModelProto fragment that holds only `graph`, which protobuf merges into the
 * backbone's graph (repeated fields append). The head uses the opset the backbone imports (the
 * reduction forms differ before and after 18), names everything `padim_head/...` (nodes included)
 * and adds the outputs HEAD_OUTPUTS, whose batch dimension is named as the backbone input's (unless
 * `options.batchDim`); the backbone's own outputs stay outputs.
 *
 * The backbone's own external data files, if any, are referenced unchanged: load the result by
 * path from the backbone's directory. `options.opset` and `options.metadata` do not apply here.
 */
export function appendHeadToModel(
  backboneOnnx: Uint8Array,
  tapNames: readonly string[],
  tapShapes: readonly TapShape[],
  model: PadimModelFile,
  options: Omit<DetectorModelOptions, 'opset' | 'metadata'>,
): SerializedModel {
  if (tapNames.length !== tapShapes.length) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `appendHeadToModel: ${tapNames.length} tap names for ${tapShapes.length} tap shapes`,
    );
  }
  const summary = readModelSummary(backboneOnnx);
  const opset = defaultOpset(summary);
  if (opset === undefined || opset < MIN_HEAD_OPSET) {
    throw new PadimError(
      PadimErrorCode.UNSUPPORTED_FORMAT,
      `appendHeadToModel: the backbone imports ${opset === undefined ? 'no default ONNX domain' : `opset ${opset}`}; the head needs opset >= ${MIN_HEAD_OPSET}`,
    );
  }
  const missing = tapNames.filter((n) => !summary.valueNames.has(n));
  if (missing.length) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `appendHeadToModel: the backbone has no value named ${missing.join(', ')} (its outputs: ${summary.graphOutputs.join(', ')})`,
    );
  }
  const prefix = options.prefix ?? HEAD_PREFIX;
  const taken = Object.values(HEAD_OUTPUTS).filter(
    (n) => summary.valueNames.has(n) || summary.graphOutputs.includes(n),
  );
  const headed = [...summary.valueNames].some((n) => n.startsWith(prefix));
  if (taken.length || headed) {
    throw new PadimError(
      PadimErrorCode.INVALID_ARGUMENT,
      `appendHeadToModel: the backbone already defines ${taken.length ? taken.join(', ') : `values named ${prefix}...`} (does it already have a PaDiM head?)`,
    );
  }

  const g = new GraphBuilder('padim_head');
  const taps = tapShapes.map((shape, i) => ({ ...shape, name: tapNames[i]! }));
  const batchDim = options.batchDim ?? summary.batchDimParam ?? 'batch';
  addPadimHead(g, taps, model, { ...options, opset, prefix, batchDim });
  const head = g.serialize({
    opsetVersion: opset,
    nodeNamePrefix: prefix,
    externalData: externalDataFor(options, g.weightBytes + backboneOnnx.byteLength),
  });
  const fragment = graphFragment(head.model);
  const merged = new Uint8Array(backboneOnnx.byteLength + fragment.byteLength);
  merged.set(backboneOnnx, 0);
  merged.set(fragment, backboneOnnx.byteLength);
  return { model: merged, externalData: head.externalData };
}
