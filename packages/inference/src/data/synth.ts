import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, type Rng } from '@padim/core';
import sharp from 'sharp';

/**
 * A procedural "product": a textured part (woven stripes + fine noise, the same pose in every
 * image) with optional injected defects and their masks. Deterministic from the seed. Used by tests
 * (small images, fast) and demos.
 */
export type DefectKind = 'spot' | 'scratch' | 'crack' | 'missing';
export const DEFECT_KINDS: readonly DefectKind[] = ['spot', 'scratch', 'crack', 'missing'];

export interface SynthImage {
  /** RGB, row-major HWC. */
  readonly rgb: Uint8Array;
  /** 0/255 per pixel: the defect's mask (all 0 for a good part). */
  readonly mask: Uint8Array;
  readonly width: number;
  readonly height: number;
}

function gauss(rng: Rng): number {
  // Irwin-Hall approximation: no transcendental functions, identical on every platform.
  let s = 0;
  for (let i = 0; i < 6; i++) s += rng.nextFloat();
  return s - 3;
}

export function synthImage(size: number, seed: number, defect?: DefectKind): SynthImage {
  const rng = createRng(seed >>> 0);
  const rgb = new Uint8Array(size * size * 3);
  const mask = new Uint8Array(size * size);
  const period = Math.max(4, Math.round(size / 8));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const weave = ((Math.floor(x / period) + Math.floor(y / period)) % 2) * 30;
      const ridge = (x + 2 * y) % period < period / 3 ? 20 : 0;
      const noise = gauss(rng) * 6;
      const base = 110 + weave + ridge + noise;
      const i = (y * size + x) * 3;
      rgb[i] = clamp(base + 10);
      rgb[i + 1] = clamp(base);
      rgb[i + 2] = clamp(base - 15);
    }
  }
  if (defect) paintDefect(rgb, mask, size, rng, defect);
  return { rgb, mask, width: size, height: size };
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

function paintDefect(
  rgb: Uint8Array,
  mask: Uint8Array,
  size: number,
  rng: Rng,
  kind: DefectKind,
): void {
  const cx = Math.floor(size * (0.25 + 0.5 * rng.nextFloat()));
  const cy = Math.floor(size * (0.25 + 0.5 * rng.nextFloat()));
  const r = Math.max(2, Math.round(size * (0.05 + 0.04 * rng.nextFloat())));
  const set = (x: number, y: number, value: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    const i = (y * size + x) * 3;
    rgb[i] = value[0];
    rgb[i + 1] = value[1];
    rgb[i + 2] = value[2];
    mask[y * size + x] = 255;
  };
  if (kind === 'spot') {
    for (let y = cy - r; y <= cy + r; y++)
      for (let x = cx - r; x <= cx + r; x++)
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y, [40, 30, 25]);
  } else if (kind === 'missing') {
    for (let y = cy - r; y <= cy + r; y++)
      for (let x = cx - r; x <= cx + r; x++) set(x, y, [235, 235, 235]);
  } else {
    // scratch: a straight bright line; crack: a dark random walk
    const steps = Math.round(size * 0.4);
    let x = cx - steps / 2;
    let y = cy;
    const dy = rng.nextFloat() - 0.5;
    for (let s = 0; s < steps; s++) {
      x += 1;
      y += kind === 'scratch' ? dy : rng.nextFloat() * 2 - 1;
      const color: [number, number, number] = kind === 'scratch' ? [250, 250, 240] : [20, 15, 10];
      set(Math.round(x), Math.round(y), color);
      set(Math.round(x), Math.round(y) + 1, color);
    }
  }
}

export async function encodePng(
  rgb: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 = 3,
): Promise<Uint8Array> {
  return new Uint8Array(await sharp(rgb, { raw: { width, height, channels } }).png().toBuffer());
}

export interface SynthDatasetOptions {
  readonly size?: number;
  readonly train?: number;
  readonly testGood?: number;
  /** Defective test images per kind. */
  readonly testPerDefect?: number;
  readonly kinds?: readonly DefectKind[];
  readonly seed?: number;
}

/** Writes an MVTec-layout category: train/good, test/good, test/<kind>, ground_truth/<kind>/*_mask.png. */
export async function writeSynthDataset(
  root: string,
  options: SynthDatasetOptions = {},
): Promise<void> {
  const size = options.size ?? 96;
  const seed = options.seed ?? 1;
  const kinds = options.kinds ?? DEFECT_KINDS;
  const write = async (dir: string, name: string, bytes: Uint8Array) => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, name), bytes);
  };
  let n = 0;
  for (let i = 0; i < (options.train ?? 20); i++) {
    const img = synthImage(size, seed * 100_003 + n++);
    await write(
      join(root, 'train', 'good'),
      `${String(i).padStart(3, '0')}.png`,
      await encodePng(img.rgb, size, size),
    );
  }
  for (let i = 0; i < (options.testGood ?? 6); i++) {
    const img = synthImage(size, seed * 100_003 + n++);
    await write(
      join(root, 'test', 'good'),
      `${String(i).padStart(3, '0')}.png`,
      await encodePng(img.rgb, size, size),
    );
  }
  for (const kind of kinds) {
    for (let i = 0; i < (options.testPerDefect ?? 3); i++) {
      const img = synthImage(size, seed * 100_003 + n++, kind);
      const stem = String(i).padStart(3, '0');
      await write(join(root, 'test', kind), `${stem}.png`, await encodePng(img.rgb, size, size));
      await write(
        join(root, 'ground_truth', kind),
        `${stem}_mask.png`,
        await encodePng(img.mask, size, size, 1),
      );
    }
  }
}
