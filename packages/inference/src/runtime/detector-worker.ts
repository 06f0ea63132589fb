import { Worker } from 'node:worker_threads';
import type { ScoredBatch } from '../pipeline/detector.js';
import type { RuntimeOptions } from './session.js';

/**
 * A Detector in a worker thread, for servers: preprocessing (sharp) and onnxruntime run there, so
 * the caller's event loop keeps answering requests while images are scored. One request at a time
 * per worker (onnxruntime already uses every core for one batch); requests queue in order.
 */
type Request = { id: number; images: Uint8Array[] };
type Response =
  | { id: number; ok: true; result: ScoredBatch; threadId: number }
  | { id: number; ok: false; error: { name: string; message: string; code?: string } };

export class WorkerError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function workerEntry(): { url: URL; execArgv: string[]; entry?: string } {
  // From TypeScript sources (tests, tsx) the worker registers the same loader; built code runs as is.
  if (!import.meta.url.endsWith('.ts'))
    return { url: new URL('./detector-worker-thread.js', import.meta.url), execArgv: [] };
  return {
    url: new URL('./tsx-worker-bootstrap.mjs', import.meta.url),
    execArgv: ['--conditions=source'],
    entry: new URL('./detector-worker-thread.ts', import.meta.url).href,
  };
}

export class DetectorWorker {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (r: ScoredBatch & { threadId: number }) => void; reject: (e: Error) => void }
  >();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: Response) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve({ ...msg.result, threadId: msg.threadId });
      else p.reject(new WorkerError(msg.error.name, msg.error.message, msg.error.code));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) =>
      this.failAll(new Error(`detector worker exited with code ${code}`)),
    );
  }

  /** Starts a worker thread and opens the model folder in it. */
  static async open(
    modelDir: string,
    runtime: Omit<RuntimeOptions, 'log'> = {},
  ): Promise<DetectorWorker> {
    const { url, execArgv, entry } = workerEntry();
    const worker = new Worker(url, { workerData: { modelDir, runtime, __entry: entry }, execArgv });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (msg: {
        ready?: boolean;
        error?: { name: string; message: string; code?: string };
      }) => {
        worker.off('error', reject);
        if (msg.ready) resolve();
        else
          reject(
            new WorkerError(
              msg.error?.name ?? 'Error',
              msg.error?.message ?? 'the detector worker failed to start',
              msg.error?.code,
            ),
          );
      };
      worker.once('message', onMessage);
      worker.once('error', reject);
    });
    return new DetectorWorker(worker);
  }

  /** Scores encoded images; the image bytes are copied to the worker. */
  score(images: readonly Uint8Array[]): Promise<ScoredBatch & { threadId: number }> {
    const id = this.nextId++;
    const request: Request = { id, images: images.map((b) => b.slice()) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(
        request,
        request.images.map((b) => b.buffer as ArrayBuffer),
      );
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
