/** Evaluation metrics: image and pixel AUROC, PRO / AUPRO, operating thresholds, connected regions. */
export { auroc, pixelAuroc, rocCurve } from './auroc.js';
export type { RocCurve } from './auroc.js';
export { connectedComponents, regionsFromMap } from './components.js';
export type {
  ComponentRegion,
  Components,
  Connectivity,
  MapRegion,
  MapRegions,
  RegionBox,
} from './components.js';
export type { Map2D, MapSet, MaskSet, PixelMapSet } from './pixels.js';
export { aupro, proCurve } from './pro.js';
export type { ProCurve } from './pro.js';
export { f1OptimalThreshold, thresholdForFalseAlarmRate } from './thresholds.js';
export type { F1Threshold, FalseAlarmThreshold } from './thresholds.js';
export { trapezoid } from './trapezoid.js';
