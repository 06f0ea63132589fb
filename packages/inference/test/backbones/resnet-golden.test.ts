/**
 * The ONNX ResNets built in TypeScript against torchvision itself: identical seeded random weights
 * (regenerated here and in scripts/torchvision_golden.py), identical inputs, layer1..layer3 outputs
 * of torchvision 0.14 (eval mode, float32) stored in test/fixtures/backbones/.
 */
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESNET_ARCHS, resnetWeightSpec, type ResNetArch } from '../../src/backbones/arch.js';
import { buildBackboneModel } from '../../src/backbones/resnet.js';
import { randomResNetWeights, type TorchWeights } from '../../src/backbones/weights.js';
import { loadGolden, relativeMaxError, seededInput, type Golden } from './helpers.js';

/** Per tap: max |onnx - torch| / max |torch|. */
const REL_TOLERANCE = 1e-4;
/** Per element: |onnx - torch| <= ELEMENT_RTOL * |torch| + ELEMENT_FLOOR * max |torch|. */
const ELEMENT_RTOL = 1e-4;
const ELEMENT_FLOOR = 2e-5;

describe.each(RESNET_ARCHS)('%s matches torchvision (random-init weights)', (arch: ResNetArch) => {
  let golden: Golden;
  let weights: TorchWeights;
  let session: ort.InferenceSession;

  beforeAll(async () => {
    golden = loadGolden(arch);
    expect(golden.metadata['arch']).toBe(arch);
    weights = randomResNetWeights(arch, Number(golden.metadata['weights_seed']));
    session = await ort.InferenceSession.create(buildBackboneModel(arch, weights));
  });
  afterAll(async () => {
    await session?.release();
  });

  it('generates torchvision state_dict keys, in order, with the same floats as the script', () => {
    const keys = JSON.parse(golden.metadata['keys'] as string) as [string, number[]][];
    expect([...weights].map(([key, t]) => [key, [...t.shape]])).toEqual(keys);
    expect(resnetWeightSpec(arch).map((s) => s.key)).toEqual(keys.map(([k]) => k));
    const heads = Array.from(weights.values()).flatMap((t) => Array.from(t.data.subarray(0, 4)));
    // Bit-exact: the generator is integer arithmetic plus correctly rounded float operations.
    expect(heads).toEqual(Array.from(golden.tensors.get('check.weights_head4')!.data));
  });

  it.each([0, 1] as const)('input %i: layer1..layer3 agree within 1e-4 relative', async (index) => {
    const seeds = JSON.parse(golden.metadata['input_seeds'] as string) as number[];
    const shape = JSON.parse(golden.metadata['input_shape'] as string) as number[];
    const image = seededInput(
      index,
      seeds,
      shape.reduce((a, b) => a * b, 1),
    );
    expect(Array.from(image.subarray(0, 64))).toEqual(
      Array.from(golden.tensors.get(`check.input${index}_head64`)!.data),
    );
    const outputs = await session.run({ image: new ort.Tensor('float32', image, shape) });
    for (const layer of ['layer1', 'layer2', 'layer3']) {
      const expected = golden.tensors.get(`input${index}.${layer}`)!;
      const actual = outputs[layer]!;
      expect(actual.dims).toEqual(expected.shape);
      const a = actual.data as Float32Array;
      const { rel, maxAbs } = relativeMaxError(a, expected.data);
      expect(rel, `${arch} input${index} ${layer}`).toBeLessThan(REL_TOLERANCE);
      let bad = 0;
      for (let i = 0; i < a.length; i++) {
        const b = expected.data[i] as number;
        if (Math.abs((a[i] as number) - b) > ELEMENT_RTOL * Math.abs(b) + ELEMENT_FLOOR * maxAbs) {
          bad++;
        }
      }
      expect(bad, `${arch} input${index} ${layer}: elements out of tolerance`).toBe(0);
    }
  });
});
