// Tests import the runtime and this package's two entries from one place.
export * from '@padim/inference';
export * from '../../src/index.js';
export * from '../../src/handlers.js';
