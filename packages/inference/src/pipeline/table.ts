import { readFile } from 'node:fs/promises';
import {
  EPSILON,
  GaussianAccumulator,
  PcaAccumulator,
  anomalyMaps,
  embed,
  embeddingChannels,
  imageScores,
  mahalanobisMaps,
  projectEmbedding,
  randomChannelIndices,
  sumLevelMaps,
  type FeatureMaps,
  type Maps,
} from '@padim/core';
import { MVTEC_TEXTURES, listMvtecCategories, readMvtecCategory } from '../data/mvtec.js';
import { preprocessBatch, preprocessMask, type PreprocessOptions } from '../preprocess/index.js';
import type { RuntimeOptions } from '../runtime/session.js';
import { computeMetrics, type LabelledMap, type Metrics } from './evaluate.js';
import { FeatureExtractor, type BackboneConfig } from './extractor.js';

/** The paper's Table I (layers) and Table II (dimensionality reduction) rows. */
export const TABLE_ROWS = [
  'layer1',
  'layer2',
  'layer3',
  'layer-sum',
  'rd100',
  'rd200',
  'pca100',
  'pca200',
  'all',
] as const;
export type TableRow = (typeof TABLE_ROWS)[number];
export const ROW_LABELS: Record<TableRow, string> = {
  layer1: 'Layer 1',
  layer2: 'Layer 2',
  layer3: 'Layer 3',
  'layer-sum': 'Layer 1+2+3 (maps summed)',
  rd100: 'Rd100 (joint Gaussian)',
  rd200: 'Rd200',
  pca100: 'PCA100',
  pca200: 'PCA200',
  all: 'All dims',
};

export interface TableOptions {
  readonly rows?: readonly string[];
  readonly seed?: number;
  readonly batchSize?: number;
  readonly onProgress?: (label: string, done: number, total: number) => void;
}

export interface TableResult {
  readonly backbone: string;
  readonly weights: string;
  readonly rows: readonly TableRow[];
  readonly categories: Record<string, Partial<Record<TableRow, Metrics>>>;
  /** Means over textures, objects and all categories, per row. */
  readonly summary: Record<'textures' | 'objects' | 'all', Partial<Record<TableRow, Metrics>>>;
}

interface Cached {
  readonly train: FeatureMaps[][]; // per batch: levels
  readonly test: {
    levels: FeatureMaps[];
    items: { type: string; stem: string; mask: Uint8Array | undefined }[];
  }[];
}

/** Distance maps [B, H0, W0] of a fitted variant, for a batch's levels. */
type Variant = (levels: FeatureMaps[]) => Maps;

function fitVariant(
  train: FeatureMaps[][],
  project: (levels: FeatureMaps[]) => FeatureMaps,
): Variant {
  let acc: GaussianAccumulator | undefined;
  for (const levels of train) {
    const e = project(levels);
    acc ??= GaussianAccumulator.create(e.shape[2], e.shape[3], e.shape[1]);
    acc.add(e);
  }
  const model = acc!.finalize({ eps: EPSILON });
  return (levels) => mahalanobisMaps(project(levels), model);
}

function variantsFor(
  rows: readonly TableRow[],
  train: FeatureMaps[][],
  seed: number,
): Map<TableRow, Variant> {
  const out = new Map<TableRow, Variant>();
  const first = train[0]!;
  const total = embeddingChannels(first);
  const [, , h0, w0] = first[0]!.shape;
  const single = first.map((_, l) => fitVariant(train, (levels) => embed([levels[l]!])));
  const grid = (maps: Maps[]): Maps => sumLevelMaps(maps, h0, w0);
  for (const row of rows) {
    if (row === 'layer1' || row === 'layer2' || row === 'layer3') {
      const l = Number(row.slice(5)) - 1;
      if (l < first.length) out.set(row, (levels) => grid([single[l]!(levels)]));
    } else if (row === 'layer-sum') {
      out.set(row, (levels) => grid(single.map((v) => v(levels))));
    } else if (row === 'rd100' || row === 'rd200') {
      const d = Math.min(row === 'rd100' ? 100 : 200, total);
      const indices = randomChannelIndices(total, d, seed);
      out.set(
        row,
        fitVariant(train, (levels) => embed(levels, indices)),
      );
    } else if (row === 'pca100' || row === 'pca200') {
      const pcaAcc = new PcaAccumulator(total);
      for (const levels of train) pcaAcc.add(embed(levels));
      const pca = pcaAcc.fit(Math.min(row === 'pca100' ? 100 : 200, total));
      out.set(
        row,
        fitVariant(train, (levels) => projectEmbedding(embed(levels), pca)),
      );
    } else if (row === 'all') {
      out.set(
        row,
        fitVariant(train, (levels) => embed(levels)),
      );
    }
  }
  return out;
}

async function cacheCategory(
  extractor: FeatureExtractor,
  dir: string,
  pre: PreprocessOptions,
  size: number,
  batchSize: number,
  progress: TableOptions['onProgress'],
): Promise<Cached> {
  const category = readMvtecCategory(dir);
  const train: FeatureMaps[][] = [];
  for (let i = 0; i < category.train.length; i += batchSize) {
    const paths = category.train.slice(i, i + batchSize);
    const bytes = await Promise.all(paths.map(async (p) => new Uint8Array(await readFile(p))));
    train.push(await extractor.extract(await preprocessBatch(bytes, pre), size));
    progress?.(
      `${category.name} train`,
      Math.min(i + batchSize, category.train.length),
      category.train.length,
    );
  }
  const test: Cached['test'] = [];
  for (let i = 0; i < category.test.length; i += batchSize) {
    const group = category.test.slice(i, i + batchSize);
    const bytes = await Promise.all(group.map(async (s) => new Uint8Array(await readFile(s.path))));
    const levels = await extractor.extract(await preprocessBatch(bytes, pre), size);
    const items = await Promise.all(
      group.map(async (s) => ({
        type: s.type,
        stem: s.stem,
        mask: s.maskPath
          ? await preprocessMask(new Uint8Array(await readFile(s.maskPath)), pre)
          : undefined,
      })),
    );
    test.push({ levels, items });
    progress?.(
      `${category.name} test`,
      Math.min(i + batchSize, category.test.length),
      category.test.length,
    );
  }
  return { train, test };
}

/**
 * Runs the paper's ablations on every category folder under `root`: the backbone runs once per
 * image (features are cached), then each row fits its own Gaussian(s) and is scored on the test set.
 */
export async function runTable(
  root: string,
  config: BackboneConfig,
  runtime: RuntimeOptions,
  options: TableOptions = {},
): Promise<TableResult> {
  const rows = (options.rows && options.rows.length > 0 ? options.rows : TABLE_ROWS).map((r) => {
    if (!(TABLE_ROWS as readonly string[]).includes(r))
      throw new Error(`unknown row ${r} (rows: ${TABLE_ROWS.join(', ')})`);
    return r as TableRow;
  });
  let dirs: string[];
  try {
    dirs = listMvtecCategories(root);
  } catch {
    dirs = [];
  }
  if (dirs.length === 0) dirs = [root]; // ROOT may itself be one category
  const extractor = await FeatureExtractor.open(config, runtime);
  const size = 224;
  const pre: PreprocessOptions = {
    protocol: 'mvtec',
    normalization: extractor.description.normalization,
  };
  const categories: TableResult['categories'] = {};
  try {
    for (const dir of dirs) {
      const name = readMvtecCategory(dir).name;
      const cached = await cacheCategory(
        extractor,
        dir,
        pre,
        size,
        options.batchSize ?? 8,
        options.onProgress,
      );
      const variants = variantsFor(rows, cached.train, options.seed ?? 0);
      categories[name] = {};
      for (const [row, variant] of variants) {
        const items: LabelledMap[] = [];
        for (const batch of cached.test) {
          const maps = anomalyMaps(variant(batch.levels), { height: size, width: size });
          const scores = imageScores(maps);
          batch.items.forEach((it, k) =>
            items.push({
              ...it,
              score: scores[k]!,
              map: maps.data.subarray(k * size * size, (k + 1) * size * size),
            }),
          );
        }
        categories[name][row] = computeMetrics(items, size);
        options.onProgress?.(`${name} rows`, [...variants.keys()].indexOf(row) + 1, variants.size);
      }
    }
  } finally {
    await extractor.release();
  }
  const groups = {
    textures: [] as string[],
    objects: [] as string[],
    all: Object.keys(categories),
  };
  for (const name of groups.all)
    (MVTEC_TEXTURES.has(name) ? groups.textures : groups.objects).push(name);
  const summary = { textures: {}, objects: {}, all: {} } as TableResult['summary'];
  for (const [group, names] of Object.entries(groups) as [
    'textures' | 'objects' | 'all',
    string[],
  ][]) {
    for (const row of rows) {
      const ms = names.map((n) => categories[n]![row]).filter((m): m is Metrics => m !== undefined);
      if (ms.length === 0) continue;
      const mean = (f: (m: Metrics) => number | null) => {
        const v = ms.map(f).filter((x): x is number => x !== null);
        return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
      };
      summary[group][row] = {
        imageAuroc: mean((m) => m.imageAuroc),
        pixelAuroc: mean((m) => m.pixelAuroc),
        pro: mean((m) => m.pro),
        images: ms.reduce((s, m) => s + m.images, 0),
      };
    }
  }
  return {
    backbone: extractor.description.backbone,
    weights: extractor.description.weights,
    rows,
    categories,
    summary,
  };
}

const cell = (m: Metrics | undefined) =>
  m
    ? `(${m.pixelAuroc === null ? ' n/a' : (m.pixelAuroc * 100).toFixed(1)}, ${m.pro === null ? ' n/a' : (m.pro * 100).toFixed(1)})`
    : '-';

/** The paper's presentation: (pixel AUROC %, PRO %) for textures, objects and all. */
export function formatTable(t: TableResult): string {
  const lines = [
    `${t.backbone} (${t.weights}) — (pixel AUROC %, PRO %), image AUROC % for all`,
    '',
  ];
  lines.push(
    `${'row'.padEnd(28)}${'textures'.padEnd(16)}${'objects'.padEnd(16)}${'all'.padEnd(16)}image AUROC`,
  );
  for (const row of t.rows) {
    const all = t.summary.all[row];
    lines.push(
      `${ROW_LABELS[row].padEnd(28)}${cell(t.summary.textures[row]).padEnd(16)}${cell(t.summary.objects[row]).padEnd(16)}${cell(all).padEnd(16)}${all?.imageAuroc == null ? 'n/a' : (all.imageAuroc * 100).toFixed(1)}`,
    );
  }
  return lines.join('\n');
}
