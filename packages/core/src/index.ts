export * from './errors.js';
export * from './tensor.js';
export * from './constants.js';
