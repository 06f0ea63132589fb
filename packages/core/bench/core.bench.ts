/**
 * Core benchmark: fit and score time for ResNet18-Rd100-sized statistics (56 x 56 = 3136 positions,
 * d = 100), single-threaded CPU reference. Run with `npm run bench` (root) or `npm run bench -w @padim/core`.
 * Prints a Markdown table (and JSON with --json). Numbers vary with the machine's load: compare
 * ratios measured in one run.
 */
import { performance } from 'node:perf_hooks';
import {
  GaussianAccumulator,
  anomalyMaps,
  aupro,
  auroc,
  decodeSafetensors,
  encodeSafetensors,
  mahalanobisMaps,
  pixelAuroc,
  type FeatureMaps,
} from '../src/index.js';

const H = 56;
const W = 56;
const D = 100;
const BATCH = 8;
const json = process.argv.includes('--json');

function randomEmbedding(batch: number, seed: number): FeatureMaps {
  const data = new Float32Array(batch * D * H * W);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 4294967296) * 2;
  }
  return { data, shape: [batch, D, H, W] };
}

function time<T>(fn: () => T, repeats = 1): { ms: number; value: T } {
  let value = fn(); // warm-up
  const start = performance.now();
  for (let r = 0; r < repeats; r++) value = fn();
  return { ms: (performance.now() - start) / repeats, value };
}

const rows: { step: string; value: number; unit: string }[] = [];
const batches = [randomEmbedding(BATCH, 1), randomEmbedding(BATCH, 2), randomEmbedding(BATCH, 3)];

const acc = GaussianAccumulator.create(H, W, D);
const fitStart = performance.now();
for (const b of batches) acc.add(b);
const fitMs = performance.now() - fitStart;
rows.push({
  step: `fit: accumulate (batch ${BATCH})`,
  value: fitMs / (BATCH * batches.length),
  unit: 'ms/image',
});

const finalize = time(() => acc.finalize());
rows.push({
  step: 'fit: finalize (3136 Cholesky + triangular inverse)',
  value: finalize.ms / 1000,
  unit: 's',
});
const model = finalize.value;

const score = time(() => mahalanobisMaps(batches[0]!, model), 2);
rows.push({
  step: `score: Mahalanobis map (batch ${BATCH})`,
  value: score.ms / BATCH,
  unit: 'ms/image',
});

const maps = time(() => anomalyMaps(score.value, { height: 224, width: 224 }), 3);
rows.push({
  step: `score: bicubic 56->224 + blur sigma 4 (batch ${BATCH})`,
  value: maps.ms / BATCH,
  unit: 'ms/image',
});

const stats = encodeSafetensors({
  mean: { dtype: 'F32', shape: [H * W, D], data: model.mean },
  precision_factor: { dtype: 'F32', shape: [H * W, D, D], data: model.precisionFactor },
});
const decode = time(() => decodeSafetensors(stats), 3);
rows.push({
  step: `safetensors decode (${(stats.byteLength / 1e6).toFixed(1)} MB)`,
  value: decode.ms,
  unit: 'ms',
});

// Metrics at evaluation scale: 100 maps of 224 x 224 (5M pixels).
const n = 100;
const mapData = new Float32Array(n * 224 * 224);
const masks = new Uint8Array(n * 224 * 224);
for (let i = 0; i < n; i++)
  for (let y = 0; y < 224; y++)
    for (let x = 0; x < 224; x++) {
      const k = (i * 224 + y) * 224 + x;
      const inside = i % 2 === 0 && Math.abs(y - 112) < 10 + (i % 7) && Math.abs(x - 60 - i) < 12;
      masks[k] = inside ? 1 : 0;
      mapData[k] = Math.sin(k * 12.9898) * 0.5 + (inside ? 0.6 : 0);
    }
const mapsTensor = { data: mapData, shape: [n, 224, 224] as const };
rows.push({
  step: 'pixel AUROC, 100 maps 224x224',
  value: time(() => pixelAuroc(mapsTensor, masks)).ms,
  unit: 'ms',
});
rows.push({
  step: 'AUPRO@0.3, 100 maps 224x224',
  value: time(() => aupro(mapsTensor, masks)).ms,
  unit: 'ms',
});
const scores = Float64Array.from(
  { length: 10000 },
  (_, i) => Math.sin(i) + (i % 3 === 0 ? 0.5 : 0),
);
const labels = Uint8Array.from({ length: 10000 }, (_, i) => (i % 3 === 0 ? 1 : 0));
rows.push({
  step: 'image AUROC, 10k scores',
  value: time(() => auroc(scores, labels), 5).ms,
  unit: 'ms',
});

if (json) {
  console.log(JSON.stringify({ grid: [H, W], d: D, batch: BATCH, rows }, null, 2));
} else {
  console.log(`@padim/core CPU reference, grid ${H}x${W}, d=${D}, Node ${process.version}\n`);
  console.log('| step | time |\n|---|---|');
  for (const r of rows)
    console.log(`| ${r.step} | ${r.value.toFixed(r.value < 10 ? 2 : 1)} ${r.unit} |`);
}
