// Test helpers shared by the packages that build on the runtime (`@padim/inference/testing`).
import { FeatureExtractor, encodePng, fitPadim, saveModelDir, synthImage } from './index.js';

/**
 * Saves a real, tiny model into `dir`: random-init ResNet18 layers 1-2, `images` synthetic 64 x 64
 * parts (seeds 100, 101, ...), Rd20. About 0.3 s on 2 cores.
 */
export async function writeTinyModel(dir: string, images = 4): Promise<void> {
  const parts = await Promise.all(
    Array.from({ length: images }, (_, i) => encodePng(synthImage(64, 100 + i).rgb, 64, 64)),
  );
  const extractor = await FeatureExtractor.open(
    { kind: 'resnet18', randomSeed: 0, layers: [1, 2] },
    { providers: ['cpu'] },
  );
  try {
    const fit = await fitPadim(
      extractor,
      { count: parts.length, read: async (i) => parts[i]! },
      { reduction: { kind: 'random', d: 20, seed: 0 } },
    );
    await saveModelDir(
      dir,
      { ...fit, normalization: extractor.description.normalization },
      extractor.buildDetector(fit.model, fit.taps, fit.imageSize),
    );
  } finally {
    await extractor.release();
  }
}
