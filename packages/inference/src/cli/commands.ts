import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { ensurePretrainedWeights } from '../backbones/index.js';
import { decodeNpy, encodeNpy } from '../data/npy.js';
import { readMvtecCategory } from '../data/mvtec.js';
import {
  calibrateThreshold,
  CalibrationError,
  splitHoldout,
  verdictFor,
  type Verdict,
} from '../pipeline/calibrate.js';
import { Detector } from '../pipeline/detector.js';
import {
  computeMetrics,
  evaluateCategory,
  metricsByType,
  type LabelledMap,
  type ScoreRecord,
} from '../pipeline/evaluate.js';
import { FeatureExtractor, type BackboneConfig } from '../pipeline/extractor.js';
import { fitPadim, type ReductionRequest } from '../pipeline/fit.js';
import { DETECTOR_DATA_FILE, DETECTOR_FILE } from '../pipeline/extractor.js';
import {
  describeModelDir,
  loadModelDir,
  saveModelDir,
  writeModelThreshold,
} from '../pipeline/model-dir.js';
import { runTable, formatTable } from '../pipeline/table.js';
import { preprocessMask } from '../preprocess/index.js';
import type { ExecutionProvider, RuntimeOptions } from '../runtime/session.js';
import { progressBar } from './progress.js';

type Opts = Record<string, unknown>;

const str = (o: Opts, k: string): string | undefined =>
  typeof o[k] === 'string' ? (o[k] as string) : undefined;
const num = (o: Opts, k: string): number | undefined =>
  typeof o[k] === 'number' ? (o[k] as number) : undefined;
const strs = (o: Opts, k: string): string[] => (Array.isArray(o[k]) ? (o[k] as string[]) : []);

function runtimeOptions(o: Opts, json: boolean): RuntimeOptions {
  const providers = strs(o, 'provider').filter(
    (p): p is ExecutionProvider => p === 'cuda' || p === 'cpu',
  );
  return {
    providers: providers.length > 0 ? providers : ['cpu'],
    ...(num(o, 'threads') ? { intraOpThreads: num(o, 'threads') } : {}),
    log: (m) => {
      if (!json) process.stderr.write(`${m}\n`);
    },
  };
}

function say(json: boolean, text: string): void {
  if (!json) process.stderr.write(`${text}\n`);
}

async function backboneConfig(o: Opts, json: boolean): Promise<BackboneConfig> {
  const backbone = str(o, 'backbone') ?? 'resnet18';
  if (backbone === 'custom') {
    const onnxPath = str(o, 'weights');
    const taps = strs(o, 'taps');
    if (!onnxPath || taps.length === 0)
      throw new Error('--backbone custom needs --weights FILE.onnx and --taps NAME,NAME,...');
    return {
      kind: 'custom',
      onnxPath,
      taps,
      normalization:
        str(o, 'normalization') === 'minus-one-one'
          ? { kind: 'minusOneOne' }
          : { kind: 'imagenet' },
    };
  }
  if (backbone !== 'resnet18' && backbone !== 'wide_resnet50_2')
    throw new Error(`unknown backbone ${backbone}`);
  const layers = strs(o, 'layers').map(Number);
  if (layers.some((l) => ![1, 2, 3].includes(l))) throw new Error('--layers takes 1, 2 and/or 3');
  if (o.randomInit) {
    say(
      json,
      `NOTICE: ${backbone} with seeded random-init weights: for tests and demos only, not ImageNet features.`,
    );
    return { kind: backbone, randomSeed: num(o, 'randomInitSeed') ?? 0, layers };
  }
  const weightsPath =
    str(o, 'weights') ??
    (await ensurePretrainedWeights(backbone, { cacheDir: str(o, 'cacheDir') }));
  return { kind: backbone, weightsPath, layers };
}

function print(json: boolean, value: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
}

const pct = (x: number | null) => (x === null ? '  n/a' : (x * 100).toFixed(1).padStart(5));

export async function runCli(command: string, o: Opts): Promise<void> {
  const json = o.json === true;
  const runtime = runtimeOptions(o, json);
  const bar = progressBar(!json);
  try {
    switch (command) {
      case 'fit': {
        const category = readMvtecCategory(str(o, 'data')!);
        const far = num(o, 'far') ?? 0.01;
        if (!(far >= 0 && far < 1))
          throw new CalibrationError(`--far must be a rate in [0, 1), got ${far}`);
        const split = splitHoldout(
          category.train.length,
          num(o, 'holdout') ?? 0,
          num(o, 'seed') ?? 0,
        );
        const fitPaths = split.fit.map((i) => category.train[i]!);
        const heldOutPaths = split.heldOut.map((i) => category.train[i]!);
        const config = await backboneConfig(o, json);
        const extractor = await FeatureExtractor.open(config, runtime);
        const pcaD = num(o, 'pca');
        const reduction: ReductionRequest =
          pcaD !== undefined
            ? { kind: 'pca', d: pcaD }
            : { kind: 'random', d: num(o, 'd'), seed: num(o, 'seed') ?? 0 };
        const started = performance.now();
        const fit = await fitPadim(
          extractor,
          {
            count: fitPaths.length,
            read: async (i) => new Uint8Array(await readFile(fitPaths[i]!)),
          },
          {
            reduction,
            protocol: str(o, 'protocol') === 'stc' ? 'stc' : 'mvtec',
            mapResize: str(o, 'mapResize') === 'bilinear' ? 'bilinear' : 'bicubic',
            eps: num(o, 'eps'),
            batchSize: num(o, 'batchSize'),
            onProgress: (p) => bar.update(p.done, p.total, p.phase),
          },
        );
        bar.stop();
        const detector = extractor.buildDetector(fit.model, fit.taps, fit.imageSize);
        await extractor.release();
        let manifest = await saveModelDir(
          str(o, 'out')!,
          { ...fit, normalization: extractor.description.normalization },
          detector,
          o.fp16 ? { precision: 'fp16', layout: 'packed' } : {},
        );
        if (heldOutPaths.length > 0) {
          // Calibrate with the saved detector itself: the threshold is on the scores it will give.
          const saved = await Detector.open(str(o, 'out')!, runtime);
          try {
            const threshold = await calibrateThreshold(
              saved,
              {
                count: heldOutPaths.length,
                read: async (i) => new Uint8Array(await readFile(heldOutPaths[i]!)),
              },
              {
                targetFalseAlarmRate: far,
                batchSize: num(o, 'batchSize'),
                onProgress: (d, t) => bar.update(d, t, 'calibrate'),
              },
            );
            bar.stop();
            manifest = await writeModelThreshold(str(o, 'out')!, threshold);
          } finally {
            await saved.release();
          }
        }
        const seconds = (performance.now() - started) / 1000;
        print(
          json,
          { model: str(o, 'out'), manifest, timings: { ...fit.timings, totalSeconds: seconds } },
          `fitted ${manifest.backbone} (${manifest.weights}) on ${manifest.trainImages} images: d=${manifest.dims}, grid ${manifest.grid.join('x')}, ${seconds.toFixed(1)} s -> ${str(o, 'out')}${
            manifest.threshold
              ? `\nthreshold ${manifest.threshold.value.toFixed(4)}: ${pct(manifest.threshold.achievedFalseAlarmRate)} % of ${manifest.threshold.heldOut} held-out normal images above it (target ${pct(manifest.threshold.targetFalseAlarmRate)} %)`
              : ''
          }`,
        );
        return;
      }
      case 'eval': {
        const detector = await Detector.open(str(o, 'model')!, runtime);
        const category = readMvtecCategory(str(o, 'data')!);
        const result = await evaluateCategory(detector, category, {
          batchSize: num(o, 'batchSize'),
          saveMapsDir: str(o, 'saveMaps'),
          onProgress: (d, t) => bar.update(d, t, 'eval'),
        });
        bar.stop();
        await detector.release();
        if (str(o, 'saveScores')) await writeJson(str(o, 'saveScores')!, result.scores);
        const { scores: _scores, imageAuroc, pixelAuroc, pro, ...summary } = result;
        const lines = [
          `image AUROC ${pct(result.imageAuroc)} %   pixel AUROC ${pct(result.pixelAuroc)} %   PRO ${pct(result.pro)} %   (${result.images} images, ${result.timings.perImageMs.toFixed(1)} ms/image)`,
          ...Object.entries(result.perType).map(
            ([t, m]) =>
              `  ${t.padEnd(16)} image ${pct(m.imageAuroc)}  pixel ${pct(m.pixelAuroc)}  PRO ${pct(m.pro)}`,
          ),
        ];
        print(
          json,
          { image_auroc: imageAuroc, pixel_auroc: pixelAuroc, pro, ...summary },
          lines.join('\n'),
        );
        return;
      }
      case 'metrics': {
        const records = JSON.parse(await readFile(str(o, 'scores')!, 'utf8')) as ScoreRecord[];
        if (
          !Array.isArray(records) ||
          records.some((r) => typeof r.score !== 'number' || typeof r.type !== 'string')
        ) {
          throw new Error('--scores must be a JSON list of {type, stem, score}');
        }
        const mapsDir = str(o, 'maps');
        const dataDir = str(o, 'data');
        if (mapsDir && !dataDir)
          throw new Error('--maps needs --data (for the ground-truth masks)');
        const items: LabelledMap[] = [];
        let size = 0;
        for (const r of records) {
          let map: Float32Array = new Float32Array(0);
          let mask: Uint8Array | undefined;
          if (mapsDir) {
            const npy = decodeNpy(
              new Uint8Array(await readFile(join(mapsDir, r.type, `${r.stem}.npy`))),
            );
            if (npy.shape.length !== 2 || npy.shape[0] !== npy.shape[1])
              throw new Error(`map ${r.type}/${r.stem} must be square [S, S]`);
            size = npy.shape[0]!;
            map = npy.data;
            const maskPath = join(dataDir!, 'ground_truth', r.type, `${r.stem}_mask.png`);
            if (existsSync(maskPath)) {
              const protocol = str(o, 'protocol') === 'stc' ? 'stc' : 'mvtec';
              mask = await preprocessMask(new Uint8Array(await readFile(maskPath)), {
                protocol,
                normalization: { kind: 'imagenet' },
                cropSize: size,
                resizeSize: protocol === 'stc' ? size : Math.round((size * 256) / 224),
              });
            }
          }
          items.push({ type: r.type, stem: r.stem, score: r.score, map, mask });
        }
        const result = mapsDir
          ? metricsByType(items, size)
          : {
              overall: computeMetrics(
                items.map((i) => ({ ...i, mask: undefined })),
                0,
              ),
              perType: {},
            };
        const overall = mapsDir
          ? result.overall
          : { ...result.overall, pixelAuroc: null, pro: null };
        print(
          json,
          {
            image_auroc: overall.imageAuroc,
            pixel_auroc: overall.pixelAuroc,
            pro: overall.pro,
            images: overall.images,
            perType: result.perType,
          },
          `image AUROC ${pct(overall.imageAuroc)} %   pixel AUROC ${pct(overall.pixelAuroc)} %   PRO ${pct(overall.pro)} %   (${overall.images} images)`,
        );
        return;
      }
      case 'score': {
        const detector = await Detector.open(str(o, 'model')!, runtime);
        const images = strs(o, 'images');
        const batchSize = num(o, 'batchSize') ?? 8;
        const threshold = detector.loaded.manifest.threshold?.value;
        const results: {
          image: string;
          score: number;
          verdict?: Verdict;
          threshold?: number;
          map?: string;
        }[] = [];
        for (let i = 0; i < images.length; i += batchSize) {
          const group = images.slice(i, i + batchSize);
          const bytes = await Promise.all(
            group.map(async (p) => new Uint8Array(await readFile(p))),
          );
          const scored = await detector.scoreImages(bytes);
          const s = scored.size;
          for (const [k, image] of group.entries()) {
            let mapPath: string | undefined;
            if (str(o, 'maps')) {
              mapPath = join(str(o, 'maps')!, `${basename(image, extname(image))}.npy`);
              await mkdir(dirname(mapPath), { recursive: true });
              await writeFile(
                mapPath,
                encodeNpy(scored.maps.slice(k * s * s, (k + 1) * s * s), [s, s]),
              );
            }
            const score = scored.scores[k]!;
            results.push({
              image,
              score,
              ...(threshold !== undefined
                ? { verdict: verdictFor(score, threshold), threshold }
                : {}),
              ...(mapPath ? { map: mapPath } : {}),
            });
          }
          bar.update(Math.min(i + batchSize, images.length), images.length, 'score');
        }
        bar.stop();
        await detector.release();
        print(
          json,
          results,
          results
            .map((r) =>
              r.verdict
                ? `${r.score.toFixed(4)}  verdict: ${r.verdict.padEnd(9)}  ${r.image}`
                : `${r.score.toFixed(4)}  ${r.image}`,
            )
            .join('\n'),
        );
        return;
      }
      case 'export': {
        const loaded = await loadModelDir(str(o, 'model')!);
        const out = str(o, 'out')!;
        await mkdir(dirname(out), { recursive: true });
        await copyFile(loaded.detectorPath, out);
        const data = join(loaded.dir, DETECTOR_DATA_FILE);
        // External data is referenced by its file name: it must sit next to the exported model.
        if (existsSync(data)) await copyFile(data, join(dirname(out), DETECTOR_DATA_FILE));
        print(
          json,
          {
            out,
            externalData: existsSync(data) ? join(dirname(out), DETECTOR_DATA_FILE) : null,
            inputs: ['image'],
            outputs: ['score', 'anomaly_map', 'distance'],
            preprocessing: loaded.manifest.normalization,
            imageSize: loaded.manifest.imageSize,
            protocol: loaded.manifest.protocol,
          },
          `wrote ${out} (${DETECTOR_FILE} of ${loaded.dir}): input 'image' [B, 3, ${loaded.manifest.imageSize}, ${loaded.manifest.imageSize}], outputs score, anomaly_map, distance`,
        );
        return;
      }
      case 'info': {
        const loaded = await loadModelDir(str(o, 'model')!);
        const info = await describeModelDir(loaded);
        print(
          json,
          info,
          Object.entries(info)
            .map(
              ([k, v]) =>
                `${k.padEnd(22)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
            )
            .join('\n'),
        );
        return;
      }
      case 'table': {
        const config = await backboneConfig(o, json);
        const result = await runTable(str(o, 'data')!, config, runtime, {
          rows: strs(o, 'rows'),
          seed: num(o, 'seed') ?? 0,
          batchSize: num(o, 'batchSize') ?? 8,
          onProgress: (label, d, t) => bar.update(d, t, label),
        });
        bar.stop();
        print(json, result, formatTable(result));
        return;
      }
      default:
        throw new Error(`unknown command ${command}`);
    }
  } finally {
    bar.stop();
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}
