/**
 * Inference benchmark: at batch 8 on this machine, the throughput of the bare truncated ResNet18,
 * the one-graph detector (ResNet18-Rd100 + PaDiM head), the core CPU reference head, and an
 * anomalib-style PyTorch PaDiM on the same machine (scripts/torch_padim_bench.py, when Debian's
 * python3-torch is installed). Everything is measured in this one run: compare the ratios.
 * Run: `npm run bench -w @padim/inference` (add `-- --json` for JSON).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import {
  BLUR_SIGMA,
  GaussianAccumulator,
  anomalyMaps,
  embed,
  mahalanobisMaps,
  randomChannelIndices,
  type PadimModelFile,
} from '@padim/core';
import { FeatureExtractor } from '../src/pipeline/extractor.js';
import { openSession } from '../src/runtime/session.js';

const BATCH = 8;
const ITERS = Number(process.env.PADIM_BENCH_ITERS ?? 5);
const THREADS = Number(process.env.PADIM_BENCH_THREADS ?? 2);
const json = process.argv.includes('--json');

function input(batch: number): Float32Array {
  const data = new Float32Array(batch * 3 * 224 * 224);
  let s = 1;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 4294967296) * 4 - 2;
  }
  return data;
}

async function rate(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up
  const start = performance.now();
  for (let i = 0; i < ITERS; i++) await run();
  return (BATCH * ITERS) / ((performance.now() - start) / 1000);
}

const runtime = { providers: ['cpu'] as const, intraOpThreads: THREADS };
const extractor = await FeatureExtractor.open(
  { kind: 'resnet18', randomSeed: 0 },
  { ...runtime, providers: ['cpu'] },
);
const batch = input(BATCH);

// A ResNet18-Rd100 model fitted on two batches of features of random inputs (values do not change speed).
const levels = await extractor.extract(batch, 224);
const indices = randomChannelIndices(448, 100, 0);
const acc = GaussianAccumulator.create(56, 56, 100);
acc.add(embed(levels, indices));
acc.add(
  embed(
    await extractor.extract(
      input(BATCH).map((v) => -v),
      224,
    ),
    indices,
  ),
);
const fitStart = performance.now();
const gaussian = acc.finalize();
const finalizeS = (performance.now() - fitStart) / 1000;
const model: PadimModelFile = {
  info: {
    backbone: 'resnet18',
    weights: 'random-init',
    weightsSha256: '',
    layers: ['layer1', 'layer2', 'layer3'],
    embeddingChannels: 448,
    imageSize: 224,
    protocol: 'mvtec',
    mapResize: 'bicubic',
    blurSigma: BLUR_SIGMA,
  },
  reduction: { kind: 'random', seed: 0, indices },
  gaussian,
};
const taps = levels.map((l, i) => ({
  name: `layer${i + 1}`,
  channels: l.shape[1],
  height: l.shape[2],
  width: l.shape[3],
}));
const detectorModel = extractor.buildDetector(model, taps, 224);
const detector = await openSession(detectorModel.model, { ...runtime, providers: ['cpu'] });
const feeds = { image: new ort.Tensor('float32', batch, [BATCH, 3, 224, 224]) };
// Alternate the two pipelines over several rounds and keep each one's median: the machine is shared.
const ROUNDS = 3;
const backboneRates: number[] = [];
const detectorRates: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  backboneRates.push(await rate(() => extractor.extract(batch, 224)));
  detectorRates.push(await rate(() => detector.session.run(feeds)));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const backbone = median(backboneRates);
const detectorRate = median(detectorRates);

const coreHead = await rate(async () =>
  anomalyMaps(mahalanobisMaps(embed(levels, indices), gaussian), { height: 224, width: 224 }),
);

let torch: { backbone_images_per_s: number; padim_images_per_s: number; torch: string } | undefined;
const script = fileURLToPath(new URL('../scripts/torch_padim_bench.py', import.meta.url));
if (existsSync('/usr/bin/python3')) {
  try {
    torch = JSON.parse(
      execFileSync(
        '/usr/bin/python3',
        [script, '--batch', String(BATCH), '--iters', String(ITERS), '--threads', String(THREADS)],
        {
          encoding: 'utf8',
        },
      ),
    );
  } catch {
    torch = undefined; // no python3-torch here
  }
}
await detector.session.release();
await extractor.release();

const rows = {
  threads: THREADS,
  batch: BATCH,
  backbone_images_per_s: backbone,
  detector_images_per_s: detectorRate,
  detector_vs_backbone: detectorRate / backbone,
  core_reference_head_images_per_s: coreHead,
  finalize_seconds: finalizeS,
  torch_backbone_images_per_s: torch?.backbone_images_per_s ?? null,
  torch_padim_images_per_s: torch?.padim_images_per_s ?? null,
  detector_vs_torch_padim: torch ? detectorRate / torch.padim_images_per_s : null,
};
if (json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(1));
  console.log(
    `ResNet18 (random weights) to layer3, 224x224, batch ${BATCH}, ${THREADS} threads, ${ITERS} iterations\n`,
  );
  console.log('| pipeline | images/s |\n|---|---|');
  console.log(`| onnxruntime: bare truncated backbone | ${f(backbone)} |`);
  console.log(
    `| onnxruntime: detector (backbone + PaDiM head, Rd100, map + score) | ${f(detectorRate)} |`,
  );
  console.log(`| core CPU reference head only (embed + Mahalanobis + map) | ${f(coreHead)} |`);
  console.log(
    `| PyTorch ${torch?.torch ?? ''}: bare backbone | ${f(rows.torch_backbone_images_per_s)} |`,
  );
  console.log(`| PyTorch: anomalib-style PaDiM (Rd100) | ${f(rows.torch_padim_images_per_s)} |`);
  console.log(
    `\ndetector / backbone = ${rows.detector_vs_backbone.toFixed(2)}; detector / PyTorch PaDiM = ${rows.detector_vs_torch_padim === null ? 'n/a' : rows.detector_vs_torch_padim.toFixed(2)}`,
  );
}
