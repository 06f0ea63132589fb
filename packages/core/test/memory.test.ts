import { describe, expect, it } from 'vitest';
import { PadimError, PadimErrorCode } from '../src/errors.js';
import { BACKBONES } from '../src/backbones.js';
import { formatBytes, planMemory, type MemoryPlanInput } from '../src/memory.js';

function expectInvalid(input: MemoryPlanInput, message?: RegExp): void {
  let caught: unknown;
  try {
    planMemory(input);
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a PadimError').toBeInstanceOf(PadimError);
  expect((caught as PadimError).code).toBe(PadimErrorCode.INVALID_ARGUMENT);
  if (message) expect((caught as PadimError).message).toMatch(message);
}

describe('planMemory: design-doc checks', () => {
  it('ResNet18 Rd100 at 224, fp32 full inverse covariances: 125.4 MB', () => {
    const plan = planMemory({ backbone: 'resnet18', d: 100 });
    expect(plan.layers).toEqual(['layer1', 'layer2', 'layer3']);
    expect(plan.channels).toBe(448);
    expect([plan.gridHeight, plan.gridWidth, plan.positions]).toEqual([56, 56, 3136]);
    expect(plan.precisionBytes).toBe(3136 * 100 * 100 * 4);
    expect(plan.precisionBytes).toBe(125_440_000);
    expect(formatBytes(plan.precisionBytes)).toBe('125.4 MB');
    expect(plan.meanBytes).toBe(3136 * 100 * 4);
    expect(plan.modelBytes).toBe(125_440_000 + 1_254_400);
  });

  it('Wide-ResNet50-2 Rd550 at 224, fp32 full: 3.8 GB', () => {
    const plan = planMemory({
      backbone: 'wide_resnet50_2',
      d: 550,
      imageSize: 224,
      precision: 'fp32',
      layout: 'full',
    });
    expect(plan.channels).toBe(1792);
    expect(plan.positions).toBe(3136);
    expect(plan.precisionBytes).toBe(3_794_560_000);
    expect(formatBytes(plan.precisionBytes)).toBe('3.8 GB');
  });
});

describe('planMemory: layouts, precisions, accumulator, scoring', () => {
  it('packs the lower triangle and halves bytes in fp16', () => {
    const P = 3136;
    const d = 100;
    const tri = (d * (d + 1)) / 2;
    expect(planMemory({ backbone: 'resnet18', d, layout: 'packed' }).precisionBytes).toBe(
      P * tri * 4,
    );
    expect(planMemory({ backbone: 'resnet18', d, precision: 'fp16' }).precisionBytes).toBe(
      P * d * d * 2,
    );
    const small = planMemory({ backbone: 'resnet18', d, precision: 'fp16', layout: 'packed' });
    expect(small.precisionBytes).toBe(P * tri * 2);
    expect(small.meanBytes).toBe(P * d * 4); // the mean stays fp32
    expect(small.modelBytes).toBe(small.meanBytes + small.precisionBytes);
  });

  it('sizes the float64 training accumulator: count + sums [P, d] + packed moments [P, d(d+1)/2]', () => {
    const plan = planMemory({ backbone: 'resnet18', d: 100 });
    expect(plan.accumulatorBytes).toBe(8 * (1 + 3136 * 100 + 3136 * 5050));
    // Independent of how the model is stored.
    expect(
      planMemory({ backbone: 'resnet18', d: 100, precision: 'fp16', layout: 'packed' })
        .accumulatorBytes,
    ).toBe(plan.accumulatorBytes);
  });

  it('defaults: all layers, all channels, 224, fp32, full, batch 1', () => {
    const plan = planMemory({ backbone: 'resnet18' });
    expect(plan.d).toBe(448);
    expect(plan.precision).toBe('fp32');
    expect(plan.layout).toBe('full');
    expect(plan.scoring.batchSize).toBe(1);
    expect(plan.precisionBytes).toBe(3136 * 448 * 448 * 4);
  });

  it('uses the finest selected layer for the grid, and ceil for sizes not divisible by the stride', () => {
    const deep = planMemory({ backbone: 'resnet18', layers: ['layer3', 'layer2'] });
    expect(deep.layers).toEqual(['layer2', 'layer3']);
    expect(deep.channels).toBe(384);
    expect(deep.stride).toBe(8);
    expect([deep.gridHeight, deep.gridWidth]).toEqual([28, 28]);
    const odd = planMemory({ backbone: 'resnet18', imageSize: { height: 225, width: 300 } });
    expect([odd.gridHeight, odd.gridWidth, odd.positions]).toEqual([57, 75, 57 * 75]);
  });

  it('accepts a custom backbone', () => {
    const plan = planMemory({
      backbone: { channels: [10, 20], strides: [2, 4] },
      layers: ['layer2'],
      imageSize: 9,
    });
    expect(plan.channels).toBe(20);
    expect([plan.gridHeight, plan.gridWidth]).toEqual([3, 3]);
    expect(plan.precisionBytes).toBe(9 * 20 * 20 * 4);
    const named = planMemory({
      backbone: { channels: [8], strides: [1], layerNames: ['stem'] },
      imageSize: 2,
    });
    expect(named.layers).toEqual(['stem']);
  });

  it('states the scoring working set of a batch', () => {
    const B = 8;
    const s = planMemory({ backbone: 'resnet18', d: 100, batchSize: B }).scoring;
    expect(s.featureBytes).toBe(B * 4 * (64 * 56 * 56 + 128 * 28 * 28 + 256 * 14 * 14));
    expect(s.embeddingBytes).toBe(B * 448 * 3136 * 4);
    expect(s.reducedBytes).toBe(B * 100 * 3136 * 4);
    expect(s.scratchBytes).toBe(B * 2 * 100 * 4);
    expect(s.distanceBytes).toBe(B * 3136 * 4);
    expect(s.anomalyMapBytes).toBe(2 * B * 224 * 224 * 4);
    expect(s.totalBytes).toBe(
      s.featureBytes +
        s.embeddingBytes +
        s.reducedBytes +
        s.scratchBytes +
        s.distanceBytes +
        s.anomalyMapBytes,
    );
  });

  it('does not mutate its input or the catalog', () => {
    const layers = ['layer3', 'layer1'];
    const input = { backbone: 'resnet18', layers, d: 10 } as const;
    planMemory(input);
    expect(layers).toEqual(['layer3', 'layer1']);
    expect(BACKBONES.resnet18.channels).toEqual([64, 128, 256]);
    expect(Object.isFrozen(BACKBONES.resnet18.channels)).toBe(true);
  });
});

describe('planMemory: validation', () => {
  it('rejects d larger than the channels, zero, or not an integer', () => {
    expectInvalid({ backbone: 'resnet18', d: 449 }, /d .*\[1, 448\]/);
    expectInvalid({ backbone: 'resnet18', layers: ['layer1'], d: 65 }, /\[1, 64\]/);
    expectInvalid({ backbone: 'resnet18', d: 0 });
    expectInvalid({ backbone: 'resnet18', d: 99.5 });
    expectInvalid({ backbone: 'resnet18', d: Number.NaN });
  });
  it('rejects an unknown backbone', () => {
    expectInvalid({ backbone: 'resnet50' as 'resnet18' }, /unknown backbone "resnet50"/);
    expectInvalid({ backbone: 'toString' as 'resnet18' }, /unknown backbone/);
  });
  it('rejects unknown, duplicate or no layers', () => {
    expectInvalid({ backbone: 'resnet18', layers: ['layer4'] }, /unknown layer "layer4"/);
    expectInvalid({ backbone: 'resnet18', layers: ['layer1', 'layer1'] }, /twice/);
    expectInvalid({ backbone: 'resnet18', layers: [] }, /non-empty/);
  });
  it('rejects bad custom backbones', () => {
    expectInvalid({ backbone: { channels: [], strides: [] } });
    expectInvalid({ backbone: { channels: [8, 8], strides: [4] } }, /strides/);
    expectInvalid({ backbone: { channels: [8.5], strides: [4] } }, /channels\[0\]/);
    expectInvalid({ backbone: { channels: [8], strides: [0] } }, /strides\[0\]/);
    expectInvalid(
      { backbone: { channels: [8, 8], strides: [4, 8], layerNames: ['a', 'a'] } },
      /duplicate/,
    );
  });
  it('rejects bad sizes, batch sizes, precisions and layouts', () => {
    expectInvalid({ backbone: 'resnet18', imageSize: 0 });
    expectInvalid({ backbone: 'resnet18', imageSize: 223.5 });
    expectInvalid({ backbone: 'resnet18', imageSize: { height: 224, width: -1 } });
    expectInvalid({ backbone: 'resnet18', batchSize: 0 });
    expectInvalid({ backbone: 'resnet18', precision: 'bf16' as 'fp16' }, /precision/);
    expectInvalid({ backbone: 'resnet18', layout: 'diag' as 'full' }, /layout/);
  });
  it('rejects byte counts a double cannot hold exactly', () => {
    expectInvalid(
      { backbone: { channels: [100_000], strides: [1] }, imageSize: 100_000 },
      /MAX_SAFE_INTEGER/,
    );
  });
});

describe('formatBytes', () => {
  it('uses SI units with one decimal', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.0 kB');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(125_440_000)).toBe('125.4 MB');
    expect(formatBytes(3_794_560_000)).toBe('3.8 GB');
    expect(formatBytes(2.5e12)).toBe('2.5 TB');
  });
  it('carries into the next unit instead of printing 1000.0', () => {
    expect(formatBytes(999.7)).toBe('1.0 kB');
    expect(formatBytes(999_960)).toBe('1.0 MB');
    expect(formatBytes(999_949)).toBe('999.9 kB');
  });
  it('rejects negative and non-finite counts', () => {
    for (const bad of [-1, Number.NaN, Infinity]) {
      expect(() => formatBytes(bad)).toThrow(PadimError);
    }
  });
});
