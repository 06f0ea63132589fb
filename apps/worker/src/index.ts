export { runWorkerProcess, runUntilSignalled } from './service.js';
export type { RunningWorkerProcess } from './service.js';
export * from './http/index.js';
