export * from './arch.js';
export * from './errors.js';
export * from './pretrained.js';
export * from './resnet.js';
export * from './weights.js';
