import { describe, expect, it } from 'vitest';
import { BACKBONES, PAPER_RD, backboneEmbeddingSize, type BackboneName } from '../src/backbones.js';
import { PadimError, PadimErrorCode } from '../src/errors.js';
import { planMemory } from '../src/memory.js';

describe('the paper backbones and their Rd', () => {
  it('gives the full embedding size of layer1..layer3 (torchvision channel counts, by hand)', () => {
    // ResNet18 basic blocks: 64, 128, 256 channels; Wide-ResNet50-2 bottlenecks: 4 x 64, 4 x 128, 4 x 256.
    expect(backboneEmbeddingSize('resnet18')).toBe(64 + 128 + 256);
    expect(backboneEmbeddingSize('resnet18')).toBe(448);
    expect(backboneEmbeddingSize('wide_resnet50_2')).toBe(256 + 512 + 1024);
    expect(backboneEmbeddingSize('wide_resnet50_2')).toBe(1792);
  });

  it("holds the paper's Rd (Table II: R18-Rd100, WR50-Rd550), each a valid d of its backbone", () => {
    expect(PAPER_RD).toEqual({ resnet18: 100, wide_resnet50_2: 550 });
    expect(Object.isFrozen(PAPER_RD)).toBe(true);
    for (const name of Object.keys(BACKBONES) as BackboneName[]) {
      expect(Number.isInteger(PAPER_RD[name])).toBe(true);
      expect(PAPER_RD[name]).toBeGreaterThanOrEqual(1);
      expect(PAPER_RD[name]).toBeLessThanOrEqual(backboneEmbeddingSize(name));
      // The memory plan agrees on the embedding size and accepts the paper's d.
      expect(planMemory({ backbone: name }).channels).toBe(backboneEmbeddingSize(name));
      expect(planMemory({ backbone: name, d: PAPER_RD[name] }).d).toBe(PAPER_RD[name]);
    }
  });

  it('rejects an unknown backbone name with INVALID_ARGUMENT', () => {
    for (const name of ['resnet50', 'toString', '']) {
      let thrown: unknown;
      try {
        backboneEmbeddingSize(name as BackboneName);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(PadimError);
      expect((thrown as PadimError).code).toBe(PadimErrorCode.INVALID_ARGUMENT);
    }
  });
});
