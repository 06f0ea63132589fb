import { parentPort, threadId, workerData } from 'node:worker_threads';
import { Detector } from '../pipeline/detector.js';
import type { RuntimeOptions } from './session.js';

const { modelDir, runtime } = workerData as { modelDir: string; runtime: RuntimeOptions };

function describe(error: unknown): { name: string; message: string; code?: string } {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return { name: error.name, message: error.message, ...(code ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

try {
  const detector = await Detector.open(modelDir, runtime);
  parentPort!.postMessage({ ready: true });
  // Requests are handled one after the other: each batch already uses every core.
  let queue = Promise.resolve();
  parentPort!.on('message', (msg: { id: number; images: Uint8Array[] }) => {
    queue = queue.then(async () => {
      try {
        const result = await detector.scoreImages(msg.images);
        const transfer = [
          result.scores.buffer,
          result.maps.buffer,
          result.distances.buffer,
        ] as ArrayBuffer[];
        parentPort!.postMessage({ id: msg.id, ok: true, result, threadId }, [...new Set(transfer)]);
      } catch (error) {
        parentPort!.postMessage({ id: msg.id, ok: false, error: describe(error) });
      }
    });
  });
} catch (error) {
  parentPort!.postMessage({ ready: false, error: describe(error) });
}
