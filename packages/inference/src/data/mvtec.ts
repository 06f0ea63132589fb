import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

/** Image file endings the data readers pick up (content is sniffed again when decoded). */
export const IMAGE_EXTENSIONS = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.bmp',
  '.tif',
  '.tiff',
  '.webp',
]);

export interface TestSample {
  /** Defect type folder name; 'good' for normal images. */
  readonly type: string;
  readonly stem: string;
  readonly path: string;
  /** ground_truth/<type>/<stem>_mask.png when it exists (none for 'good'). */
  readonly maskPath?: string;
}

export interface MvtecCategory {
  readonly root: string;
  readonly name: string;
  readonly train: readonly string[];
  readonly test: readonly TestSample[];
}

export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

function listImages(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))
    .sort()
    .map((f) => join(dir, f));
}

function stemOf(path: string): string {
  return basename(path, extname(path));
}

/**
 * Reads an MVTec-AD-layout category folder: train/good/*, test/<type>/*,
 * ground_truth/<type>/<stem>_mask.png. Lists files only; nothing is decoded here.
 */
export function readMvtecCategory(root: string): MvtecCategory {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DatasetError(`${root} is not a folder`);
  }
  const train = listImages(join(root, 'train', 'good'));
  const testRoot = join(root, 'test');
  const types = existsSync(testRoot)
    ? readdirSync(testRoot)
        .filter((t) => statSync(join(testRoot, t)).isDirectory())
        .sort()
    : [];
  const test: TestSample[] = [];
  for (const type of types) {
    for (const path of listImages(join(testRoot, type))) {
      const stem = stemOf(path);
      const candidate = join(root, 'ground_truth', type, `${stem}_mask.png`);
      test.push(
        existsSync(candidate) ? { type, stem, path, maskPath: candidate } : { type, stem, path },
      );
    }
  }
  if (train.length === 0 && test.length === 0) {
    throw new DatasetError(
      `${root} has neither train/good nor test/<type> images (MVTec layout expected)`,
    );
  }
  return { root, name: basename(root), train, test };
}

/** Category folders below ROOT (those with a train/good folder), sorted by name. */
export function listMvtecCategories(root: string): string[] {
  if (!existsSync(root)) throw new DatasetError(`${root} does not exist`);
  return readdirSync(root)
    .map((name) => join(root, name))
    .filter((dir) => existsSync(join(dir, 'train', 'good')))
    .sort();
}

/** The MVTec AD texture categories (the paper's tables split textures and objects). */
export const MVTEC_TEXTURES = new Set(['carpet', 'grid', 'leather', 'tile', 'wood']);
