export * from './onnx/graph.js';
