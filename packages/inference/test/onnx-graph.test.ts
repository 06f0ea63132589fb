import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../src/onnx/graph.js';

describe('GraphBuilder writes models onnxruntime runs', () => {
  it('a small graph with attributes, int64 constants and a symbolic batch', async () => {
    const g = new GraphBuilder('probe');
    const x = g.input('x', ['batch', 2, 3]);
    const w = g.initializer('w', Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 2, 3]);
    const prod = g.op('Mul', [x, w]);
    const summed = g.op('ReduceSum', [prod, g.constInt64([2])], { keepdims: 0 });
    const clipped = g.op('LeakyRelu', [summed], { alpha: { float: 0.5 } });
    g.output(clipped, 'y', ['batch', 2]);
    const { model, externalData } = g.serialize({ metadata: { purpose: 'test' } });
    expect(externalData.byteLength).toBe(0);
    const session = await ort.InferenceSession.create(model);
    const input = new ort.Tensor(
      'float32',
      Float32Array.from([1, 1, 1, -1, -1, -1, 0, 0, 1, 1, 0, 0]),
      [2, 2, 3],
    );
    const { y } = await session.run({ x: input });
    // rows: [1+2+3, -(4+5+6)] -> [6, -15*0.5]; [3, 4]
    expect(Array.from(y!.data as Float32Array)).toEqual([6, -7.5, 3, 4]);
    expect(y!.dims).toEqual([2, 2]);
    await session.release();
  });
});
