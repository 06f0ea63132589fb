export * from './errors.js';
export { READINESS_PROBE_KEY, createInferenceServer } from './server.js';
export type { InferenceLogLevel, InferenceServerOptions } from './server.js';
export type { PredictResponse } from './predict.js';
