import { PadimError, PadimErrorCode, anomalyMaps, type ResizeMode } from '@padim/core';
import { describe, expect, it } from 'vitest';
import {
  addPadimHead,
  anomalyMapOperator,
  buildHeadModel,
  defaultOpset,
  embeddingPlan,
  graphFragment,
  readModelSummary,
  type TapSpec,
} from '../../src/detector/index.js';
import { GraphBuilder } from '../../src/onnx/graph.js';
import { expectClose, fitModel, noise } from './helpers.js';

describe('anomalyMapOperator: resize + blur of one axis as one matrix', () => {
  const cases: [number, number, number, ResizeMode, number][] = [
    [16, 16, 64, 'bicubic', 4],
    [12, 10, 50, 'bilinear', 4],
    [7, 5, 21, 'bicubic', 2.5],
    // Blur radius 24 > output size 20 along one axis: scipy reflects more than once.
    [6, 9, 20, 'bicubic', 6],
  ];
  for (const [h, w, out, mode, sigma] of cases) {
    it(`A_h D A_w^T = core's anomalyMaps (${h}x${w} -> ${out}x${out + 3}, ${mode}, sigma ${sigma})`, () => {
      const outW = out + 3;
      const rows = anomalyMapOperator(h, out, mode, sigma);
      const cols = anomalyMapOperator(w, outW, mode, sigma);
      const d = noise(h * w, h * 100 + w, 3).map((v) => Math.abs(v) + 1);
      const mapped = new Float64Array(out * outW);
      for (let y = 0; y < out; y++) {
        for (let x = 0; x < outW; x++) {
          let s = 0;
          for (let i = 0; i < h; i++) {
            for (let j = 0; j < w; j++) s += rows[y * h + i]! * d[i * w + j]! * cols[x * w + j]!;
          }
          mapped[y * outW + x] = s;
        }
      }
      const expected = anomalyMaps(
        { data: d, shape: [1, h, w] },
        {
          height: out,
          width: outW,
          resize: mode,
          sigma,
        },
      );
      expectClose('map', mapped, expected.data, 1e-6);
    });
  }

  it('keeps constants: every row sums to 1', () => {
    const a = anomalyMapOperator(14, 224, 'bicubic', 4);
    for (let y = 0; y < 224; y++) {
      let s = 0;
      for (let i = 0; i < 14; i++) s += a[y * 14 + i]!;
      expect(s).toBeCloseTo(1, 12);
    }
  });
});

describe('embeddingPlan: core embed as per-level Gathers', () => {
  const taps = [
    { channels: 4, height: 8, width: 6 },
    { channels: 3, height: 4, width: 6 },
    { channels: 2, height: 3, width: 5 },
  ];

  it('leaves out identity steps and keeps sorted channels in level order', () => {
    const plan = embeddingPlan(taps, [0, 1, 2, 3, 5, 8]);
    expect(plan.permutation).toBeUndefined();
    expect(plan.levels.map((l) => l.channels)).toEqual([[0, 1, 2, 3], [1], [1]]);
    expect(plan.levels.map((l) => l.allChannels)).toEqual([true, false, false]);
    expect(plan.levels[0]!.rows).toBeUndefined();
    expect(plan.levels[0]!.cols).toBeUndefined();
    expect(plan.levels[1]!.rows).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(plan.levels[1]!.cols).toBeUndefined();
    // floor(dst * 3 / 8) and floor(dst * 5 / 6): PyTorch's nearest, non-integer ratios.
    expect(plan.levels[2]!.rows).toEqual([0, 0, 0, 1, 1, 1, 2, 2]);
    expect(plan.levels[2]!.cols).toEqual([0, 0, 1, 2, 3, 4]);
  });

  it('undoes the level grouping of unsorted channels with a permutation', () => {
    const plan = embeddingPlan(taps, [8, 0, 5, 1]);
    expect(plan.levels.map((l) => l.channels)).toEqual([[0, 1], [1], [1]]);
    // concatenation order: 0, 1, 5, 8 -> embedding order 8, 0, 5, 1
    expect(plan.permutation).toEqual([3, 0, 2, 1]);
  });
});

describe('the ONNX reader', () => {
  it('reads opset imports, inputs, outputs, value names and the batch dimension', () => {
    const g = new GraphBuilder('probe');
    const x = g.input('x', ['n', 2]);
    const y = g.op('Relu', [x], undefined, 'hidden');
    g.output(g.op('Neg', [y]), 'y', ['n', 2]);
    g.initializer('w', Float32Array.from([1, 2]), [2]);
    const summary = readModelSummary(g.serialize({ opsetVersion: 15 }).model);
    expect(summary.opsetImports).toEqual([{ domain: '', version: 15 }]);
    expect(defaultOpset(summary)).toBe(15);
    expect(summary.graphInputs).toEqual(['x']);
    expect(summary.batchDimParam).toBe('n');
    expect(summary.graphOutputs).toEqual(['y']);
    expect([...summary.valueNames].sort()).toEqual(['hidden', 'neg_0', 'w', 'x', 'y']);
  });

  it('a graph fragment appended to a model merges into its graph', () => {
    const a = new GraphBuilder('a');
    a.output(a.op('Relu', [a.input('x', [2])], undefined, 'r'), 'r', [2]);
    const b = new GraphBuilder('b');
    b.output(b.op('Neg', ['r'], undefined, 'n'), 'n', [2]);
    const merged = new Uint8Array([
      ...a.serialize().model,
      ...graphFragment(b.serialize({ nodeNamePrefix: 'b/' }).model),
    ]);
    const summary = readModelSummary(merged);
    expect(summary.graphInputs).toEqual(['x']);
    expect(summary.graphOutputs).toEqual(['r', 'n']);
    expect(summary.opsetImports).toHaveLength(1);
  });

  it('rejects truncated bytes with MALFORMED_DATA', () => {
    const bytes = buildHeadModel(
      fitModel([{ channels: 3, height: 4, width: 4 }], {
        reduction: 'all',
        d: 3,
        mapResize: 'bicubic',
      }),
      [{ name: 't', channels: 3, height: 4, width: 4 }],
      { imageHeight: 8, imageWidth: 8 },
    ).model;
    for (const cut of [40, bytes.byteLength - 3]) {
      expect(() => readModelSummary(bytes.subarray(0, cut))).toThrow(
        expect.objectContaining({ code: PadimErrorCode.MALFORMED_DATA }),
      );
    }
  });
});

describe('addPadimHead checks its inputs', () => {
  const taps: TapSpec[] = [
    { name: 'a', channels: 4, height: 8, width: 8 },
    { name: 'b', channels: 6, height: 4, width: 4 },
  ];
  const model = fitModel(taps, { reduction: 'random', d: 5, mapResize: 'bicubic' });
  const options = { imageHeight: 32, imageWidth: 32 };
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (error) {
      return error instanceof PadimError ? `${error.code}: ${error.message}` : String(error);
    }
    return undefined;
  };

  it('a grid that differs from the model', () => {
    const moved = [{ ...taps[0]!, height: 9 }, taps[1]!];
    expect(codeOf(() => buildHeadModel(model, moved, options))).toMatch(
      /^SHAPE_MISMATCH: .*grid is 8x8, the first tap's is 9x8/,
    );
  });

  it('channels that differ from the fitted embedding', () => {
    const wider = [taps[0]!, { ...taps[1]!, channels: 7 }];
    expect(codeOf(() => buildHeadModel(model, wider, options))).toMatch(
      /^SHAPE_MISMATCH: .*fitted on 10 embedding channels, the taps have 11/,
    );
  });

  it('no taps, a bad image size, an opset before 7', () => {
    expect(codeOf(() => buildHeadModel(model, [], options))).toMatch(
      /^INVALID_ARGUMENT: .*at least one tap/,
    );
    expect(codeOf(() => buildHeadModel(model, taps, { ...options, imageWidth: 0 }))).toMatch(
      /^INVALID_ARGUMENT: .*imageWidth/,
    );
    expect(codeOf(() => buildHeadModel(model, taps, { ...options, opset: 6 }))).toMatch(
      /^INVALID_ARGUMENT: .*opset/,
    );
  });

  it('a second head in the same graph fails loudly (its names are taken)', () => {
    const g = new GraphBuilder('twice');
    for (const t of taps) g.input(t.name, ['batch', t.channels, t.height, t.width]);
    addPadimHead(g, taps, model, options);
    expect(() => addPadimHead(g, taps, model, options)).toThrow(/taken/);
  });

  it('does not change its inputs', () => {
    const mean = model.gaussian.mean.slice();
    const factor = model.gaussian.precisionFactor.slice();
    buildHeadModel(model, taps, options);
    expect(model.gaussian.mean).toEqual(mean);
    expect(model.gaussian.precisionFactor).toEqual(factor);
  });
});
