import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regionsFromMap } from '@padim/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Detector,
  ImageErrorCode,
  colormapLut,
  encodePng,
  heatmapCanvas,
  heatmapScale,
  inspectionVerdict,
  mapBoxToOriginal,
  regionsToOriginal,
  renderHeatmapRgba,
  scoreImage,
  scoreImages,
  synthImage,
  type PreprocessGeometry,
} from './helpers/api.js';
import { writeTinyModel } from '@padim/inference/testing';

const MVTEC: PreprocessGeometry = { protocol: 'mvtec', resizeSize: 256, size: 224, offset: 16 };
const STC: PreprocessGeometry = { protocol: 'stc', resizeSize: 256, size: 256, offset: 0 };

describe('region geometry: model-input map -> original pixels', () => {
  it('shifts by the crop offset and scales by W / R, H / R (MVTec)', () => {
    // 512 x 1024 original: 2 original pixels per resized pixel across, 4 down.
    expect(mapBoxToOriginal({ x: 0, y: 0, width: 10, height: 5 }, MVTEC, 512, 1024)).toEqual({
      x: (0 + 16) * 2,
      y: (0 + 16) * 4,
      width: 10 * 2,
      height: 5 * 4,
    });
    // The last map column ends where the crop ends: resized 240 -> original 480.
    expect(mapBoxToOriginal({ x: 223, y: 223, width: 1, height: 1 }, MVTEC, 512, 1024)).toEqual({
      x: 478,
      y: 956,
      width: 2,
      height: 4,
    });
  });

  it('rounds fractional edges outwards and never leaves the image', () => {
    // 100 x 100: 0.390625 px per resized pixel; map column 0 spans original [6.25, 6.640625).
    expect(mapBoxToOriginal({ x: 0, y: 0, width: 1, height: 1 }, MVTEC, 100, 100)).toEqual({
      x: 6,
      y: 6,
      width: 1,
      height: 1,
    });
    // Columns 10..19 span [26/256*100, 36/256*100) = [10.15625, 14.0625) -> 10 .. 15.
    expect(mapBoxToOriginal({ x: 10, y: 10, width: 10, height: 10 }, MVTEC, 100, 100)).toEqual({
      x: 10,
      y: 10,
      width: 5,
      height: 5,
    });
    // STC has no crop: the whole map covers the image.
    expect(mapBoxToOriginal({ x: 0, y: 0, width: 256, height: 256 }, STC, 300, 90)).toEqual({
      x: 0,
      y: 0,
      width: 300,
      height: 90,
    });
    expect(mapBoxToOriginal({ x: 10, y: 20, width: 5, height: 2 }, STC, 512, 256)).toEqual({
      x: 20,
      y: 20,
      width: 10,
      height: 2,
    });
  });

  it('turns a synthetic map into Inspection.regions, strongest first, with area and peak', () => {
    const s = 224;
    const map = new Float32Array(s * s);
    // A 10 x 10 blob (rows 10..19, columns 20..29) at 5 with a peak of 7, and a lone pixel at 3.
    for (let y = 10; y < 20; y++) for (let x = 20; x < 30; x++) map[y * s + x] = 5;
    map[15 * s + 25] = 7;
    map[100 * s + 200] = 3;
    const found = regionsFromMap(map, s, s, 1).regions;
    // Raster order puts the blob first; make the lone pixel come first in the map to test sorting.
    const regions = regionsToOriginal([...found].reverse(), MVTEC, 512, 512);
    expect(regions).toEqual([
      { x: (20 + 16) * 2, y: (10 + 16) * 2, width: 20, height: 20, area: 100 * 4, maxScore: 7 },
      { x: (200 + 16) * 2, y: (100 + 16) * 2, width: 2, height: 2, area: 4, maxScore: 3 },
    ]);
    expect(regionsToOriginal(found, MVTEC, 512, 512, 1)).toHaveLength(1);
    // Area of a region smaller than one original pixel is still at least 1.
    expect(regionsToOriginal(found, MVTEC, 100, 100)[1]!.area).toBe(1);
  });
});

describe('verdict and colour scale', () => {
  it('is DEFECT iff score > threshold: equal is GOOD; no threshold, no verdict', () => {
    expect(inspectionVerdict(2.5, 2.5)).toBe('GOOD');
    expect(inspectionVerdict(2.5000001, 2.5)).toBe('DEFECT');
    expect(inspectionVerdict(2.4, 2.5)).toBe('GOOD');
    expect(inspectionVerdict(99, null)).toBeNull();
  });

  it('spans [0, max(2 threshold, score)], or [0, score] without a threshold', () => {
    expect(heatmapScale(3, 2)).toEqual({ min: 0, max: 4 });
    expect(heatmapScale(9, 2)).toEqual({ min: 0, max: 9 });
    expect(heatmapScale(3, null)).toEqual({ min: 0, max: 3 });
    expect(heatmapScale(0, null)).toEqual({ min: 0, max: 1 });
  });

  it('has colour maps close to their reference tables', () => {
    const near = (lut: Uint8Array, k: number, rgb: readonly number[], tolerance: number) =>
      [0, 1, 2].forEach((c) =>
        expect(Math.abs(lut[3 * k + c]! - 255 * rgb[c]!)).toBeLessThanOrEqual(tolerance),
      );
    // matplotlib's viridis table at entries 0, 128, 255.
    const viridis = colormapLut('viridis');
    near(viridis, 0, [0.267004, 0.004874, 0.329415], 4);
    near(viridis, 128, [0.127568, 0.566949, 0.550556], 4);
    near(viridis, 255, [0.993248, 0.906157, 0.143936], 4);
    // Google's turbo table at entries 0, 98 (between two key points), 128, 255.
    const turbo = colormapLut('turbo');
    near(turbo, 0, [0.18995, 0.07176, 0.23217], 0.5);
    near(turbo, 98, [0.22142, 0.95692, 0.56914], 2.5);
    near(turbo, 128, [0.64362, 0.98999, 0.23356], 0.5);
    near(turbo, 255, [0.4796, 0.01583, 0.01055], 0.5);
  });

  it('draws the map on the original frame, transparent outside the MVTec crop', () => {
    const s = 224;
    const map = new Float32Array(s * s).fill(10);
    const lut = colormapLut('turbo');
    const rgba = renderHeatmapRgba(map, MVTEC, 256, 256, { min: 0, max: 10 }, lut);
    const at = (u: number, v: number) =>
      Array.from(rgba.subarray((v * 256 + u) * 4, (v * 256 + u) * 4 + 4));
    // Canvas = resized frame here: the crop is columns/rows 16..239.
    expect(at(15, 100)[3]).toBe(0);
    expect(at(100, 15)[3]).toBe(0);
    expect(at(240, 100)[3]).toBe(0);
    expect(at(16, 16)).toEqual([lut[765], lut[766], lut[767], 255]);
    expect(at(239, 239)).toEqual([lut[765], lut[766], lut[767], 255]);
  });

  it('samples the map pixel under each canvas pixel (STC, same size: identity)', () => {
    const s = 256;
    const map = new Float32Array(s * s);
    for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) map[y * s + x] = x;
    const lut = colormapLut('viridis');
    const rgba = renderHeatmapRgba(map, STC, 256, 256, { min: 0, max: 255 }, lut);
    for (const u of [0, 1, 77, 200, 255]) {
      const p = (5 * 256 + u) * 4;
      expect(Array.from(rgba.subarray(p, p + 3))).toEqual(
        Array.from(lut.subarray(3 * u, 3 * u + 3)),
      );
    }
    expect(heatmapCanvas(4000, 2000)).toEqual({ width: 1024, height: 512 });
    expect(heatmapCanvas(64, 48)).toEqual({ width: 64, height: 48 });
  });
});

describe('scoreImage with a real detector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'padim-scoring-'));
  let detector: Detector;
  let good: Uint8Array;
  afterAll(async () => {
    await detector?.release();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    await writeTinyModel(join(dir, 'model'), 6);
    detector = await Detector.open(join(dir, 'model'), { providers: ['cpu'] });
    good = await encodePng(synthImage(64, 900).rgb, 64, 64);
  });

  it('without a threshold: a score, no verdict, no regions, a heatmap PNG of the original size', async () => {
    const r = await scoreImage(detector, good, null);
    expect(r.score).toBeGreaterThan(0);
    expect(r.verdict).toBeNull();
    expect(r.regions).toEqual([]);
    expect(r.scale).toEqual({ min: 0, max: r.score });
    expect(r.colormap).toBe('turbo');
    expect([r.width, r.height, r.heatmapWidth, r.heatmapHeight]).toEqual([64, 64, 64, 64]);
    const meta = await sharp(r.heatmapPng).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 64, height: 64, channels: 4 });
    expect(r.timings.inferenceMs).toBeGreaterThan(0);
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.inferenceMs);
    const lean = await scoreImage(detector, good, null, { heatmap: false });
    expect(lean.heatmapPng).toBeNull();
    expect(lean.score).toBe(r.score);
  });

  it('score == threshold is GOOD with no region; just below it is DEFECT with the peak as a region', async () => {
    const { score } = await scoreImage(detector, good, null, { heatmap: false });
    const at = await scoreImage(detector, good, score, { heatmap: false });
    expect(at.verdict).toBe('GOOD');
    expect(at.regions).toEqual([]);
    const below = await scoreImage(detector, good, score - 1e-3, { heatmap: false });
    expect(below.verdict).toBe('DEFECT');
    expect(below.regions.length).toBeGreaterThan(0);
    expect(below.regions[0]!.maxScore).toBe(score);
  });

  it('localises a defect in original pixels', async () => {
    const defect = synthImage(64, 31, 'spot');
    const bytes = await encodePng(defect.rgb, 64, 64);
    const goodScores = await scoreImages(
      detector,
      await Promise.all([901, 902, 903].map((s) => encodePng(synthImage(64, s).rgb, 64, 64))),
      null,
      { heatmap: false },
    );
    const normalMax = Math.max(...goodScores.map((r) => r.score));
    const probe = await scoreImage(detector, bytes, null, { heatmap: false });
    expect(probe.score).toBeGreaterThan(normalMax);
    const r = await scoreImage(detector, bytes, (normalMax + probe.score) / 2);
    expect(r.verdict).toBe('DEFECT');
    // The strongest region contains the centre of the painted spot.
    let sx = 0;
    let sy = 0;
    let n = 0;
    defect.mask.forEach((m, i) => {
      if (m === 0) return;
      sx += i % 64;
      sy += Math.floor(i / 64);
      n++;
    });
    const [cx, cy] = [sx / n, sy / n];
    const top = r.regions[0]!;
    expect(cx).toBeGreaterThanOrEqual(top.x);
    expect(cx).toBeLessThan(top.x + top.width);
    expect(cy).toBeGreaterThanOrEqual(top.y);
    expect(cy).toBeLessThan(top.y + top.height);
    expect(top.maxScore).toBe(r.score);
    expect(r.scale.max).toBe(Math.max(r.score, 2 * r.threshold!));
  });

  it('reports the original size after EXIF orientation, and sizes the heatmap to it', async () => {
    const wide = await sharp(synthImage(64, 5).rgb, { raw: { width: 64, height: 64, channels: 3 } })
      .resize(96, 48, { fit: 'fill' })
      .raw()
      .toBuffer();
    const rotated = await sharp(wide, { raw: { width: 96, height: 48, channels: 3 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const r = await scoreImage(detector, new Uint8Array(rotated), 0);
    expect([r.width, r.height]).toEqual([48, 96]);
    const meta = await sharp(r.heatmapPng).metadata();
    expect([meta.width, meta.height]).toEqual([48, 96]);
    // Threshold 0: the whole scored crop is one region, inside the image.
    for (const g of r.regions) {
      expect(g.x + g.width).toBeLessThanOrEqual(48);
      expect(g.y + g.height).toBeLessThanOrEqual(96);
    }
    const big = await sharp({
      create: { width: 1500, height: 600, channels: 3, background: { r: 120, g: 110, b: 95 } },
    })
      .png()
      .toBuffer();
    const large = await scoreImage(detector, new Uint8Array(big), null);
    expect([large.width, large.height, large.heatmapWidth, large.heatmapHeight]).toEqual([
      1500, 600, 1024, 410,
    ]);
  });

  it('scores a batch exactly as one image at a time', async () => {
    const other = await encodePng(synthImage(64, 904).rgb, 64, 64);
    const [a, b] = await scoreImages(detector, [good, other], 1, { heatmap: false });
    const one = await scoreImage(detector, other, 1, { heatmap: false });
    expect(b!.score).toBeCloseTo(one.score, 5);
    expect(a!.score).not.toBe(b!.score);
  });

  it('fails a truncated image with the ImageError code of preprocess', async () => {
    await expect(scoreImage(detector, good.subarray(0, 60), 1)).rejects.toMatchObject({
      name: 'ImageError',
      code: ImageErrorCode.CORRUPT_IMAGE,
    });
    await expect(scoreImages(detector, [good, good.subarray(0, 60)], 1)).rejects.toMatchObject({
      code: ImageErrorCode.CORRUPT_IMAGE,
      index: 1,
    });
  });
});
