// The rules the API and the worker share, and the platform's configuration. Nothing here loads
// onnxruntime: the API imports this entry in every mode; the job handlers that run CNNs are behind
// `@padim/jobs/handlers`.
export * from './rules/access.js';
export * from './rules/audit.js';
export * from './rules/enqueue.js';
export * from './rules/payloads.js';
export * from './rules/training-state.js';
export * from './rules/versions.js';
export * from './config.js';
export * from './private-address.js';
export * from './webhooks.js';
