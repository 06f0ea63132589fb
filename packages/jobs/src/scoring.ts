/**
 * One image in, one inspection result out: score, verdict, defect regions in the original image's
 * pixels, and a colour heatmap PNG. Shared by the HTTP service (/predict) and the inspection worker.
 *
 * Geometry. The detector sees the image resized to R x R (aspect ratio ignored) and, under the MVTec
 * protocol, centre-cropped to S x S at offset o (R = 256, S = 224, o = 16); under STC, S = R, o = 0.
 * Its anomaly map is S x S over that crop. Map pixel (i, j) covers resized pixels [o + j, o + j + 1)
 * x [o + i, o + i + 1), i.e. original pixels [(o + j) W / R, (o + j + 1) W / R) horizontally and
 * [(o + i) H / R, (o + i + 1) H / R) vertically, for an original (EXIF-oriented) image W x H. Under
 * MVTec the border outside the crop (6.25% of each side) is never scored: no region can lie there,
 * and the heatmap leaves it transparent.
 */
import {
  TURBO_KEYS,
  regionsFromMap,
  type Connectivity,
  type MapRegion,
  type RegionBox,
} from '@padim/core';
import sharp from 'sharp';
import { verdictFor } from '@padim/inference';
import type { Detector } from '@padim/inference';
import { ImageError, preprocessImage, type PreprocessGeometry } from '@padim/inference';

/** Inspection.verdict: DEFECT iff core's `isFlagged(score, threshold)`, GOOD otherwise. */
export type InspectionVerdict = 'GOOD' | 'DEFECT';

/** One defect region, the shape of Inspection.regions: original image pixels. */
export interface InspectionRegion {
  /** Bounding box: columns x .. x + width - 1, rows y .. y + height - 1 (original pixels). */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Approximate area in original pixels (map pixels of the region x original pixels per map pixel). */
  readonly area: number;
  /** The highest anomaly-map value inside the region. */
  readonly maxScore: number;
}

/** The value range mapped onto the colour scale: min -> first colour, max (and above) -> last. */
export interface HeatmapScale {
  readonly min: number;
  readonly max: number;
}

export type Colormap = 'turbo' | 'viridis';

export interface ScoreImageOptions {
  /** Render the heatmap PNG (default true); false leaves `heatmapPng` null and saves its time. */
  readonly heatmap?: boolean;
  /** Default 'turbo'. */
  readonly colormap?: Colormap;
  /**
   * Longest side of the heatmap PNG, default 1024. The heatmap has the original image's aspect
   * ratio and covers all of it; it is smaller than the original only when the original is larger.
   */
  readonly heatmapMaxSide?: number;
  /** Overrides the colour scale (default: see `heatmapScale`). */
  readonly scale?: HeatmapScale;
  /** Region connectivity on the map, default 8 (scipy.ndimage.label with ones((3, 3))). */
  readonly connectivity?: Connectivity;
  /** At most this many regions, strongest first (default 50): bounds the stored JSON. */
  readonly maxRegions?: number;
  /** Decompression-bomb guard of the decoder (default preprocess's 64 MP). */
  readonly maxInputPixels?: number;
}

export interface ScoreTimings {
  /** Decode, orient, resize, crop, normalise. */
  readonly preprocessMs: number;
  /** The detector graph (of the whole batch, for scoreImages). */
  readonly inferenceMs: number;
  readonly regionsMs: number;
  /** Colouring and PNG encoding (0 without heatmap). */
  readonly heatmapMs: number;
  readonly totalMs: number;
}

export interface ImageInspection {
  /** Image score: the maximum of the anomaly map. */
  readonly score: number;
  /** null when there is no threshold. */
  readonly verdict: InspectionVerdict | null;
  readonly threshold: number | null;
  /** Connected components of map > threshold, strongest first; empty without a threshold. */
  readonly regions: InspectionRegion[];
  /** RGBA PNG, heatmapWidth x heatmapHeight. */
  readonly heatmapPng: Uint8Array;
  readonly heatmapWidth: number;
  readonly heatmapHeight: number;
  readonly scale: HeatmapScale;
  readonly colormap: Colormap;
  /** The original image's size, EXIF orientation applied (the frame of `regions`). */
  readonly width: number;
  readonly height: number;
  readonly timings: ScoreTimings;
}

/** The result of a call with `heatmap: false`: everything but the PNG. */
export type ImageInspectionWithoutHeatmap = Omit<ImageInspection, 'heatmapPng'> & {
  readonly heatmapPng: null;
};

export const DEFAULT_HEATMAP_MAX_SIDE = 1024;
export const DEFAULT_MAX_REGIONS = 50;

/** GOOD / DEFECT for a score, or null without a threshold; DEFECT iff score > threshold. */
export function inspectionVerdict(
  score: number,
  threshold: number | null,
): InspectionVerdict | null {
  if (threshold === null) return null;
  return verdictFor(score, threshold) === 'anomalous' ? 'DEFECT' : 'GOOD';
}

/**
 * The default colour scale: [0, max(2 * threshold, score)] with a threshold, so the threshold sits
 * at the middle colour unless the image is far above it; [0, score] without one. Mahalanobis
 * distances are >= 0, hence the 0 floor. A degenerate range becomes [min, min + 1].
 */
export function heatmapScale(score: number, threshold: number | null): HeatmapScale {
  const max = threshold === null ? score : Math.max(2 * threshold, score);
  return { min: 0, max: Number.isFinite(max) && max > 0 ? max : 1 };
}

/**
 * A map-pixel box to the original image: edges scaled by W / R and H / R after shifting by the
 * crop offset, rounded outwards to whole pixels, clipped to the image.
 */
export function mapBoxToOriginal(
  box: RegionBox,
  geometry: PreprocessGeometry,
  width: number,
  height: number,
): RegionBox {
  const sx = width / geometry.resizeSize;
  const sy = height / geometry.resizeSize;
  const o = geometry.offset;
  const x0 = Math.max(0, Math.floor((box.x + o) * sx));
  const y0 = Math.max(0, Math.floor((box.y + o) * sy));
  const x1 = Math.min(width, Math.ceil((box.x + box.width + o) * sx));
  const y1 = Math.min(height, Math.ceil((box.y + box.height + o) * sy));
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/**
 * Regions found on an S x S map to InspectionRegions in original pixels: box via mapBoxToOriginal,
 * area = map pixels x (W / R) x (H / R) rounded (at least 1), maxScore = the region's peak.
 * Sorted strongest first (ties: raster order of the map), at most `maxRegions`.
 */
export function regionsToOriginal(
  regions: readonly MapRegion[],
  geometry: PreprocessGeometry,
  width: number,
  height: number,
  maxRegions: number = DEFAULT_MAX_REGIONS,
): InspectionRegion[] {
  const pixelArea = (width / geometry.resizeSize) * (height / geometry.resizeSize);
  return [...regions]
    .sort((a, b) => b.peak - a.peak || a.label - b.label)
    .slice(0, maxRegions)
    .map((r) => ({
      ...mapBoxToOriginal(r.box, geometry, width, height),
      area: Math.max(1, Math.round(r.area * pixelArea)),
      maxScore: r.peak,
    }));
}

/**
 * viridis (matplotlib): a degree-6 polynomial fit per channel, t in [0, 1] -> sRGB in [0, 1],
 * within 4/255 of matplotlib's table.
 */
const VIRIDIS: readonly (readonly number[])[] = [
  [0.2777273272, 0.1050930431, -0.3308618287, -4.634230499, 6.228269936, 4.776384998, -5.435455856],
  [0.005407344545, 1.40461353, 0.2148475595, -5.799100973, 14.17993337, -13.74514538, 4.645852612],
  [0.3340998053, 1.384590163, 0.09509516303, -19.33244096, 56.6905526, -65.35303263, 26.31243525],
];

const luts = new Map<Colormap, Uint8Array>();

function turboLut(): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  const last = TURBO_KEYS.length - 1;
  for (let k = 0; k < 256; k++) {
    const j = Math.min(k >> 3, last - 1);
    const a = 8 * j;
    const b = j + 1 === last ? 255 : a + 8;
    const f = (k - a) / (b - a);
    for (let c = 0; c < 3; c++)
      lut[3 * k + c] = Math.round(TURBO_KEYS[j]![c]! * (1 - f) + TURBO_KEYS[j + 1]![c]! * f);
  }
  return lut;
}

function viridisLut(): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (let k = 0; k < 256; k++) {
    const t = k / 255;
    for (let c = 0; c < 3; c++) {
      const poly = VIRIDIS[c]!;
      let v = 0;
      for (let i = poly.length - 1; i >= 0; i--) v = poly[i]! + t * v;
      lut[3 * k + c] = Math.round(255 * Math.min(1, Math.max(0, v)));
    }
  }
  return lut;
}

/** 256 RGB entries (768 bytes): entry k is the colour of t = k / 255. */
export function colormapLut(name: Colormap): Uint8Array {
  let lut = luts.get(name);
  if (!lut) {
    lut = name === 'viridis' ? viridisLut() : turboLut();
    luts.set(name, lut);
  }
  return lut;
}

/**
 * Colours an S x S anomaly map onto a canvas with the original image's frame (canvasWidth x
 * canvasHeight covering the whole W x H original): each canvas pixel centre is mapped to map
 * coordinates through the preprocessing geometry and the map is sampled bilinearly (edge-clamped);
 * pixels outside the scored crop are transparent. Returns RGBA, row-major.
 */
export function renderHeatmapRgba(
  map: ArrayLike<number>,
  geometry: PreprocessGeometry,
  canvasWidth: number,
  canvasHeight: number,
  scale: HeatmapScale,
  lut: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const s = geometry.size;
  const axis = (n: number) => {
    // Canvas pixel centre -> resized coordinate -> map coordinate (pixel centres at k + 0.5).
    const index = new Int32Array(n);
    const weight = new Float32Array(n);
    const inside = new Uint8Array(n);
    for (let u = 0; u < n; u++) {
      const r = ((u + 0.5) * geometry.resizeSize) / n - geometry.offset;
      inside[u] = r >= 0 && r < s ? 1 : 0;
      const m = Math.min(Math.max(r - 0.5, 0), s - 1);
      const i0 = Math.min(Math.floor(m), s - 2 < 0 ? 0 : s - 2);
      index[u] = i0;
      weight[u] = s > 1 ? m - i0 : 0;
    }
    return { index, weight, inside };
  };
  const xs = axis(canvasWidth);
  const ys = axis(canvasHeight);
  const out = new Uint8Array(canvasWidth * canvasHeight * 4);
  const span = scale.max - scale.min;
  const x1 = s > 1 ? 1 : 0;
  for (let v = 0; v < canvasHeight; v++) {
    if (!ys.inside[v]) continue;
    const row0 = ys.index[v]! * s;
    const row1 = row0 + (s > 1 ? s : 0);
    const wy = ys.weight[v]!;
    for (let u = 0; u < canvasWidth; u++) {
      if (!xs.inside[u]) continue;
      const c = xs.index[u]!;
      const wx = xs.weight[u]!;
      const top = map[row0 + c]! * (1 - wx) + map[row0 + c + x1]! * wx;
      const bottom = map[row1 + c]! * (1 - wx) + map[row1 + c + x1]! * wx;
      const t = (top * (1 - wy) + bottom * wy - scale.min) / span;
      const k = t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
      const p = (v * canvasWidth + u) * 4;
      out[p] = lut[3 * k]!;
      out[p + 1] = lut[3 * k + 1]!;
      out[p + 2] = lut[3 * k + 2]!;
      out[p + 3] = 255;
    }
  }
  return out;
}

/** The heatmap canvas: the original's size, scaled down to fit maxSide (never up). */
export function heatmapCanvas(
  width: number,
  height: number,
  maxSide: number = DEFAULT_HEATMAP_MAX_SIDE,
): { width: number; height: number } {
  const f = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * f)),
    height: Math.max(1, Math.round(height * f)),
  };
}

async function encodeRgbaPng(rgba: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const png = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

function since(t: number): number {
  return Math.round((performance.now() - t) * 100) / 100;
}

/** Everything after the detector: verdict, regions, heatmap, for one image of a batch. */
async function inspectMap(
  map: Float32Array,
  score: number,
  geometry: PreprocessGeometry,
  original: { readonly width: number; readonly height: number },
  threshold: number | null,
  options: ScoreImageOptions,
  timings: { preprocessMs: number; inferenceMs: number; start: number },
): Promise<ImageInspection | ImageInspectionWithoutHeatmap> {
  const s = geometry.size;
  let t = performance.now();
  const regions =
    threshold === null
      ? []
      : regionsToOriginal(
          regionsFromMap(map, s, s, threshold, options.connectivity ?? 8).regions,
          geometry,
          original.width,
          original.height,
          options.maxRegions ?? DEFAULT_MAX_REGIONS,
        );
  const regionsMs = since(t);

  t = performance.now();
  const scale = options.scale ?? heatmapScale(score, threshold);
  const colormap = options.colormap ?? 'turbo';
  const canvas = heatmapCanvas(original.width, original.height, options.heatmapMaxSide);
  let heatmapPng: Uint8Array | null = null;
  if (options.heatmap ?? true) {
    const rgba = renderHeatmapRgba(
      map,
      geometry,
      canvas.width,
      canvas.height,
      scale,
      colormapLut(colormap),
    );
    heatmapPng = await encodeRgbaPng(rgba, canvas.width, canvas.height);
  }
  const heatmapMs = heatmapPng ? since(t) : 0;
  return {
    score,
    verdict: inspectionVerdict(score, threshold),
    threshold,
    regions,
    heatmapPng,
    heatmapWidth: canvas.width,
    heatmapHeight: canvas.height,
    scale,
    colormap,
    width: original.width,
    height: original.height,
    timings: {
      preprocessMs: timings.preprocessMs,
      inferenceMs: timings.inferenceMs,
      regionsMs,
      heatmapMs,
      totalMs: since(timings.start),
    },
  };
}

type WithHeatmap = ScoreImageOptions & { readonly heatmap?: true };

/**
 * Scores one encoded image (PNG, JPEG, BMP, TIFF, WebP) and builds its inspection result.
 *
 * @throws ImageError (CORRUPT_IMAGE, UNSUPPORTED_FORMAT, IMAGE_TOO_LARGE, EMPTY_INPUT) for bad bytes.
 */
export async function scoreImage(
  detector: Detector,
  bytes: Uint8Array,
  threshold: number | null,
  options?: WithHeatmap,
): Promise<ImageInspection>;
export async function scoreImage(
  detector: Detector,
  bytes: Uint8Array,
  threshold: number | null,
  options: ScoreImageOptions,
): Promise<ImageInspection | ImageInspectionWithoutHeatmap>;
export async function scoreImage(
  detector: Detector,
  bytes: Uint8Array,
  threshold: number | null,
  options: ScoreImageOptions = {},
): Promise<ImageInspection | ImageInspectionWithoutHeatmap> {
  const [result] = await scoreImages(detector, [bytes], threshold, options);
  return result!;
}

/**
 * Scores images as one detector batch (decoding up to 4 at a time). The first bad image fails the
 * call with its ImageError (`index` says which). Timings: `inferenceMs` is the whole batch's.
 */
export async function scoreImages(
  detector: Detector,
  images: readonly Uint8Array[],
  threshold: number | null,
  options?: WithHeatmap,
): Promise<ImageInspection[]>;
export async function scoreImages(
  detector: Detector,
  images: readonly Uint8Array[],
  threshold: number | null,
  options: ScoreImageOptions,
): Promise<(ImageInspection | ImageInspectionWithoutHeatmap)[]>;
export async function scoreImages(
  detector: Detector,
  images: readonly Uint8Array[],
  threshold: number | null,
  options: ScoreImageOptions = {},
): Promise<(ImageInspection | ImageInspectionWithoutHeatmap)[]> {
  if (images.length === 0) return [];
  if (threshold !== null && !Number.isFinite(threshold))
    throw new RangeError(`threshold must be finite or null, got ${threshold}`);
  const start = performance.now();
  const pre = {
    ...detector.preprocessOptions,
    ...(options.maxInputPixels === undefined ? {} : { maxInputPixels: options.maxInputPixels }),
  };
  let t = performance.now();
  const prepared = new Array<Awaited<ReturnType<typeof preprocessImage>>>(images.length);
  let next = 0;
  const worker = async () => {
    while (next < images.length) {
      const i = next++;
      try {
        prepared[i] = await preprocessImage(images[i]!, pre);
      } catch (error) {
        if (images.length > 1 && error instanceof ImageError)
          throw new ImageError(error.code, `image ${i}: ${error.message}`, {
            cause: error,
            index: i,
          });
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, images.length) }, worker));
  const preprocessMs = since(t);

  const size = detector.loaded.manifest.imageSize;
  const geometry = prepared[0]!.geometry;
  if (geometry.size !== size)
    throw new Error(
      `the model's input is ${size} x ${size} but its preprocessing gives ${geometry.size} x ${geometry.size}`,
    );
  const stride = 3 * size * size;
  const batch = new Float32Array(images.length * stride);
  prepared.forEach((p, i) => batch.set(p.data, i * stride));
  t = performance.now();
  const scored = await detector.scoreTensor(batch, images.length);
  const inferenceMs = since(t);

  const plane = size * size;
  const results: (ImageInspection | ImageInspectionWithoutHeatmap)[] = [];
  for (let i = 0; i < images.length; i++) {
    results.push(
      await inspectMap(
        scored.maps.subarray(i * plane, (i + 1) * plane),
        scored.scores[i]!,
        prepared[i]!.geometry,
        prepared[i]!.original,
        threshold,
        options,
        { preprocessMs, inferenceMs, start },
      ),
    );
  }
  return results;
}
