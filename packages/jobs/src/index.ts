// The rules the API and the worker share. Nothing here loads onnxruntime or sharp: the API imports
// this entry in every mode; the job handlers that run CNNs are behind `@padim/jobs/handlers`.
export * from './private-address.js';
export * from './webhooks.js';
export * from './config.js';
