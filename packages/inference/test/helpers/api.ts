// Tests import the package's public API from one place.
export * from '../../src/index.js';
export { GaussianAccumulator } from '@padim/core';
