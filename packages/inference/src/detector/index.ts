export {
  HEAD_OUTPUTS,
  HEAD_PREFIX,
  MIN_HEAD_OPSET,
  addPadimHead,
  embeddingPlan,
  type EmbeddingPlan,
  type HeadOptions,
  type LevelPlan,
  type HeadTap,
  type TapShape,
  type TapSpec,
} from './head.js';
export { anomalyMapOperator } from './map-operator.js';
export {
  DEFAULT_EXTERNAL_DATA,
  EXTERNAL_DATA_THRESHOLD_BYTES,
  appendHeadToModel,
  buildHeadModel,
  type DetectorModelOptions,
} from './model.js';
export {
  defaultOpset,
  graphFragment,
  readModelSummary,
  type OnnxModelSummary,
  type OpsetImport,
} from './onnx-reader.js';
