/**
 * Loader of test/fixtures/metrics-golden.json, written by scripts/metrics_golden.py (sklearn, scipy and a
 * transcription of the MVTec AD evaluation code). Re-run that script to regenerate it.
 */
import { readFileSync } from 'node:fs';
import type { Maps } from '../../src/tensor.js';

export interface GoldenRegion {
  label: number;
  area: number;
  box: { x: number; y: number; width: number; height: number };
}

export interface GoldenMapRegion extends GoldenRegion {
  peak: number;
  peakAt: { x: number; y: number };
}

export interface GoldenF1 {
  threshold: number;
  f1: number;
  precision: number;
  recall: number;
}

export interface GoldenImageCase {
  name: string;
  scores: number[];
  labels: number[];
  auroc: number;
  roc: { fpr: number[]; tpr: number[]; thresholdsAfterFirst: number[] };
  f1: GoldenF1;
}

export interface GoldenPixelResults {
  pixelAuroc: number;
  f1: GoldenF1;
  aupro: { limit: number; float64: number; reference: number }[];
  /** Full curve (quantised maps) or sampled points (continuous maps: `indices` are set). */
  curve: {
    length: number;
    indices?: number[];
    fpr: number[];
    pro: number[];
    referenceFpr: number[];
  };
}

export interface Golden {
  image: GoldenImageCase[];
  pixel: {
    count: number;
    height: number;
    width: number;
    masks: string[];
    continuousMaps: number[][];
    quantisedStep: number;
    quantisedLevels: number[][];
    regions8: { count: number; regions: GoldenRegion[] }[];
    regions4: { count: number; regions: GoldenRegion[] }[];
    continuous: GoldenPixelResults;
    quantised: GoldenPixelResults;
    regionsFromMap: {
      maps: 'continuous' | 'quantised';
      image: number;
      threshold: number;
      count: number;
      regions: GoldenMapRegion[];
    }[];
  };
  components: {
    height: number;
    width: number;
    mask: string;
    count8: number;
    labels8: number[];
    count4: number;
    labels4: number[];
  };
}

export const golden = JSON.parse(
  readFileSync(new URL('../fixtures/metrics-golden.json', import.meta.url), 'utf8'),
) as Golden;

/** A '0'/'1' string as mask bytes. */
export function maskBytes(bits: string): Uint8Array {
  return Uint8Array.from(bits, (c) => (c === '1' ? 1 : 0));
}

/** The golden maps of one kind as a Maps tensor [N, H, W] (float32, exactly the values the script used). */
export function goldenMaps(kind: 'continuous' | 'quantised'): Maps {
  const { count, height, width, continuousMaps, quantisedLevels, quantisedStep } = golden.pixel;
  const data = new Float32Array(count * height * width);
  for (let i = 0; i < count; i++) {
    const values =
      kind === 'continuous'
        ? (continuousMaps[i] as number[])
        : (quantisedLevels[i] as number[]).map((k) => k * quantisedStep);
    data.set(values, i * height * width);
  }
  return { data, shape: [count, height, width] };
}

/** All golden masks concatenated, N * H * W bytes. */
export function goldenMasks(): Uint8Array {
  return maskBytes(golden.pixel.masks.join(''));
}
