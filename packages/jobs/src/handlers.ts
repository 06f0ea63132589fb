// The job handlers: what a worker process (apps/worker) or the API's embedded mode runs. Loading
// this entry loads onnxruntime-node and sharp.
export * from './context.js';
export * from './artifacts.js';
export * from './model-cache.js';
export * from './scoring.js';
export * from './training/index.js';
export * from './inspection.js';
export * from './worker.js';
