#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { runCli } from './commands.js';

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`${value} is not a whole number`);
  return n;
}

function positiveFloat(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError(`${value} is not a non-negative number`);
  return n;
}

/** Any finite number; the range is checked where the value is used (so --json reports it). */
function finite(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`${value} is not a number`);
  return n;
}

const program = new Command()
  .name('padim')
  .description('PaDiM anomaly detection: fit on normal images, score, evaluate, export.')
  .option('--json', 'machine-readable JSON on stdout (no progress bars)')
  .option('--threads <n>', 'onnxruntime intra-op threads (default: all cores)', int)
  .option('--provider <list>', 'execution providers in order of preference', list, ['cuda', 'cpu']);

const backboneOptions = (cmd: Command) =>
  cmd
    .addOption(
      new Option('--backbone <name>', 'feature extractor')
        .choices(['resnet18', 'wide_resnet50_2', 'custom'])
        .default('resnet18'),
    )
    .option(
      '--weights <file>',
      'torchvision safetensors (resnet) or ONNX file (custom); default: ImageNet weights from the cache',
    )
    .option(
      '--random-init',
      'use the seeded random-init backbone (tests and demos only: not ImageNet)',
    )
    .option('--random-init-seed <n>', 'seed of the random-init backbone', int, 0)
    .option('--taps <list>', 'custom: names of the tap outputs in level order', list)
    .addOption(
      new Option('--normalization <kind>', 'custom: input scaling')
        .choices(['imagenet', 'minus-one-one'])
        .default('imagenet'),
    )
    .option('--layers <list>', 'resnet stages to tap', list, ['1', '2', '3'])
    .option('--cache-dir <dir>', 'weights cache (default $PADIM_CACHE_DIR or ~/.cache/padim)');

backboneOptions(
  program
    .command('fit')
    .description('fit a model on DIR/train/good')
    .requiredOption('--data <dir>', 'MVTec-layout category folder')
    .requiredOption('--out <dir>', 'model folder to write'),
)
  .option('--d <n>', 'keep d randomly chosen dimensions (Rd); default 100, or all if fewer', int)
  .option('--pca <n>', 'reduce to n dimensions by PCA instead (the paper ablation)', int)
  .option('--seed <n>', 'seed of the random dimension choice and of the --holdout split', int, 0)
  .option(
    '--holdout <fraction>',
    'share of train/good held out of the fit to calibrate the threshold, in [0, 1); 0 = no threshold',
    finite,
    0,
  )
  .option(
    '--far <rate>',
    'target false-alarm rate of the threshold on the held-out normal images, in [0, 1)',
    finite,
    0.01,
  )
  .addOption(
    new Option('--protocol <p>', 'image protocol').choices(['mvtec', 'stc']).default('mvtec'),
  )
  .addOption(
    new Option('--map-resize <mode>', 'anomaly map upsampling')
      .choices(['bicubic', 'bilinear'])
      .default('bicubic'),
  )
  .option('--eps <x>', 'covariance regularisation', positiveFloat, 0.01)
  .option('--batch-size <n>', 'images per batch', int, 8)
  .option(
    '--fp16',
    'store the statistics file with fp16 precision factors (the detector stays fp32)',
  )
  .action(async (opts, cmd: Command) => runCli('fit', { ...cmd.optsWithGlobals() }));

program
  .command('eval')
  .description('score DIR/test and report image AUROC, pixel AUROC and PRO')
  .requiredOption('--model <dir>', 'model folder')
  .requiredOption('--data <dir>', 'MVTec-layout category folder')
  .option('--save-maps <dir>', 'write anomaly maps as .npy float32 [H, W] to DIR/<type>/<stem>.npy')
  .option('--save-scores <file>', 'write JSON records {type, stem, score}')
  .option('--batch-size <n>', 'images per batch', int, 8)
  .action(async (opts, cmd: Command) => runCli('eval', { ...cmd.optsWithGlobals() }));

program
  .command('metrics')
  .description('metrics from saved scores (and maps) of any detector')
  .requiredOption('--scores <file>', 'JSON records {type, stem, score}')
  .option('--maps <dir>', 'folder of <type>/<stem>.npy maps')
  .option('--data <dir>', 'the MVTec-layout category folder (for ground-truth masks)')
  .addOption(
    new Option('--protocol <p>', 'how masks are resized to the maps')
      .choices(['mvtec', 'stc'])
      .default('mvtec'),
  )
  .action(async (opts, cmd: Command) => runCli('metrics', { ...cmd.optsWithGlobals() }));

backboneOptions(
  program
    .command('table')
    .description("the paper's Table I and II rows over every category folder in ROOT")
    .requiredOption('--data <root>', 'folder of MVTec-layout category folders'),
)
  .option(
    '--rows <list>',
    'subset of rows (layer1,layer2,layer3,layer-sum,joint-rd100,rd100,rd200,pca100,pca200,all)',
    list,
  )
  .option('--seed <n>', 'seed of the random dimension choice', int, 0)
  .option('--batch-size <n>', 'images per batch', int, 8)
  .action(async (opts, cmd: Command) => runCli('table', { ...cmd.optsWithGlobals() }));

program
  .command('score')
  .description('score images with a model')
  .requiredOption('--model <dir>', 'model folder')
  .argument('<images...>', 'image files')
  .option('--maps <dir>', 'write anomaly maps as .npy next to each other')
  .option('--batch-size <n>', 'images per batch', int, 8)
  .action(async (images: string[], opts, cmd: Command) =>
    runCli('score', { ...cmd.optsWithGlobals(), images }),
  );

program
  .command('export')
  .description('write the self-contained detector ONNX (backbone + PaDiM head) for edge deployment')
  .requiredOption('--model <dir>', 'model folder')
  .requiredOption('--out <file>', 'output .onnx file')
  .action(async (opts, cmd: Command) => runCli('export', { ...cmd.optsWithGlobals() }));

program
  .command('info')
  .description('what a model is: backbone, d, sizes on disk and in memory')
  .requiredOption('--model <dir>', 'model folder')
  .action(async (opts, cmd: Command) => runCli('info', { ...cmd.optsWithGlobals() }));

program
  .command('synth')
  .description(
    'write a procedural MVTec-layout data set: textured parts, defects (scratch, spot, crack, missing piece) and their masks',
  )
  .requiredOption('--out <dir>', 'output folder (train/good, test/<kind>, ground_truth/<kind>)')
  .option('--size <px>', 'image side in pixels', int, 96)
  .option('--train <n>', 'normal training images', int, 20)
  .option('--test-good <n>', 'normal test images', int, 6)
  .option('--test-per-defect <n>', 'defective test images per defect kind', int, 3)
  .option('--seed <n>', 'random seed', int, 1)
  .action(async (opts: Record<string, unknown>, cmd: Command) => {
    const o = cmd.optsWithGlobals() as Record<string, unknown>;
    const { writeSynthDataset } = await import('../data/synth.js');
    const size = o.size as number;
    if (size < 32 || size > 4096) throw new Error('--size must be from 32 to 4096');
    await writeSynthDataset(o.out as string, {
      size,
      train: o.train as number,
      testGood: o.testGood as number,
      testPerDefect: o.testPerDefect as number,
      seed: o.seed as number,
    });
    const summary = {
      out: o.out,
      size,
      train: o.train,
      testGood: o.testGood,
      testPerDefect: o.testPerDefect,
    };
    process.stdout.write(o.json ? `${JSON.stringify(summary)}\n` : `wrote ${String(o.out)}\n`);
  });

program
  .command('worker')
  .description(
    'run a worker process: training, inspection and webhook queues on Redis, plus the inference HTTP service (configured by environment variables: see .env.example)',
  )
  .action(async () => {
    // A thin entry into the inference service (apps/worker). The runtime library does not depend
    // on the platform: the app is found at run time, where the workspace (or an image) has it.
    const specifier = '@padim/worker';
    let app: { runUntilSignalled(env: NodeJS.ProcessEnv): Promise<void> };
    try {
      app = (await import(specifier)) as typeof app;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND')
        throw new Error(
          'padim worker needs the inference service (@padim/worker, apps/worker): install and build the workspace, or run node apps/worker/dist/main.js',
          { cause: error },
        );
      throw error;
    }
    await app.runUntilSignalled(process.env);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (process.argv.includes('--json')) {
    const code =
      error instanceof Error && 'code' in error
        ? String((error as { code: unknown }).code)
        : undefined;
    const name = error instanceof Error ? error.name : 'Error';
    process.stdout.write(
      `${JSON.stringify({ error: { name, ...(code ? { code } : {}), message } })}\n`,
    );
  }
  process.stderr.write(`padim: ${message}\n`);
  process.exitCode = 1;
});
