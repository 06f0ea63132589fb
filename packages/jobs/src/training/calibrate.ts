/** Calibration: the threshold of a freshly built model, from held-out normals and labelled defects. */
import { ThresholdMethod, type Prisma } from '@padim/db';
import {
  Detector,
  calibrateThreshold,
  computeMetrics,
  f1Threshold,
  preprocessMask,
  type FalseAlarmCalibration,
  type LabelledMap,
} from '@padim/inference';
import type { WorkerDeps } from '../context.js';
import { storeSource, type LabelledImage, type VersionMetrics } from './shared.js';

export interface Calibrated {
  readonly method: ThresholdMethod;
  readonly value: number;
  readonly targetFalseAlarmRate: number | null;
  readonly calibration: Prisma.InputJsonValue;
  readonly metrics: VersionMetrics;
}

/**
 * The threshold: for the target false-alarm rate on held-out normals; F1-optimal over held-out
 * normals and defect images when there are defects (the FAR numbers are kept beside it). Never
 * sees a training image; scores are never normalised against the test set.
 */
export async function calibrate(
  deps: WorkerDeps,
  dir: string,
  heldOutKeys: readonly string[],
  defects: readonly LabelledImage[],
  target: number,
  onProgress: (done: number, total: number) => Promise<void>,
): Promise<Calibrated> {
  const detector = await Detector.open(dir, deps.runtime ?? {});
  try {
    const total = heldOutKeys.length + defects.length;
    const far: FalseAlarmCalibration = await calibrateThreshold(
      detector,
      storeSource(deps, heldOutKeys),
      {
        targetFalseAlarmRate: target,
        batchSize: deps.batchSize ?? 8,
        onProgress: (d) => void onProgress(d, total),
      },
    );
    const farBlock = {
      targetFalseAlarmRate: far.targetFalseAlarmRate,
      achievedFalseAlarmRate: far.achievedFalseAlarmRate,
      heldOut: far.heldOut,
      normalScores: [...far.normalScores],
      histogram: { edges: [...far.histogram.edges], counts: [...far.histogram.counts] },
      falseAlarmRateThreshold: far.value,
    };
    if (defects.length === 0) {
      return {
        method: ThresholdMethod.FALSE_ALARM_RATE,
        value: far.value,
        targetFalseAlarmRate: target,
        calibration: farBlock,
        metrics: {},
      };
    }
    // Defect images: scores for F1 and AUROC; maps against masks for pixel AUROC and PRO.
    const size = detector.loaded.manifest.imageSize;
    const items: LabelledMap[] = [];
    const keys = [...heldOutKeys.map((key) => ({ key, maskKey: null })), ...defects];
    for (let i = 0; i < keys.length; i += deps.batchSize ?? 8) {
      const chunk = keys.slice(i, i + (deps.batchSize ?? 8));
      const bytes = await Promise.all(chunk.map((k) => deps.store.get(k.key)));
      const scored = await detector.scoreImages(bytes);
      for (let j = 0; j < chunk.length; j++) {
        const isDefect = i + j >= heldOutKeys.length;
        const maskKey = chunk[j]!.maskKey;
        const mask =
          isDefect && maskKey
            ? await preprocessMask(await deps.store.get(maskKey), detector.preprocessOptions)
            : undefined;
        items.push({
          type: isDefect ? 'defect' : 'good',
          stem: chunk[j]!.key,
          score: scored.scores[j]!,
          map: scored.maps.slice(j * size * size, (j + 1) * size * size),
          mask,
        });
      }
      await onProgress(Math.min(i + chunk.length, total), total);
    }
    const scores = items.map((it) => it.score);
    const labels = items.map((it) => (it.type === 'good' ? 0 : 1));
    const f1 = f1Threshold(scores, labels);
    const m = computeMetrics(
      items.filter((it) => it.type === 'good' || it.mask !== undefined),
      size,
    );
    const imageOnly = computeMetrics(
      items.map((it) => ({ ...it, mask: undefined })),
      size,
    );
    // Core's F1 threshold is already under the platform's rule (isFlagged: score > value).
    const value = f1.value;
    return {
      method: ThresholdMethod.F1_OPTIMAL,
      value,
      targetFalseAlarmRate: null,
      calibration: {
        ...farBlock,
        f1: f1.f1,
        precision: f1.precision,
        recall: f1.recall,
        defectImages: defects.length,
        defectScores: items.filter((it) => it.type !== 'good').map((it) => it.score),
      },
      metrics: {
        imageAuroc: imageOnly.imageAuroc,
        pixelAuroc: defects.some((d) => d.maskKey) ? m.pixelAuroc : null,
        pro: defects.some((d) => d.maskKey) ? m.pro : null,
        evaluatedImages: items.length,
      },
    };
  } finally {
    await detector.release();
  }
}
