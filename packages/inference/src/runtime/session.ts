import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';

/** Execution providers in order of preference. CUDA needs onnxruntime's CUDA provider libraries. */
export type ExecutionProvider = 'cuda' | 'cpu';
export const DEFAULT_PROVIDERS: readonly ExecutionProvider[] = ['cuda', 'cpu'];

export interface RuntimeOptions {
  /** Preference list: the first provider that loads wins. Default: CUDA, then CPU. */
  readonly providers?: readonly ExecutionProvider[];
  /** Threads inside one operator (CPU). Default: onnxruntime's (all cores). */
  readonly intraOpThreads?: number;
  /** Where to report which provider a session got (default: nowhere). */
  readonly log?: (message: string) => void;
}

export interface LoadedSession {
  readonly session: ort.InferenceSession;
  readonly provider: ExecutionProvider;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/**
 * Whether onnxruntime-node's CUDA provider library is installed next to its native binding (its
 * install script downloads it; offline installs skip that). Checking first avoids a native error
 * print on every session of a CPU-only machine.
 */
export function cudaProviderInstalled(): boolean {
  try {
    const pkg = dirname(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')));
    const bin = join(pkg, 'bin');
    const stack = [bin];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) stack.push(join(dir, entry.name));
        else if (entry.name.startsWith('libonnxruntime_providers_cuda')) return true;
      }
    }
    return false;
  } catch {
    return false;
  }
}

/**
 * Opens an ONNX model (bytes, or a path when it has external data) with the first execution
 * provider of the preference list that loads. A provider that fails (no GPU, no CUDA libraries)
 * is skipped with a log line; if none loads, the last error is thrown.
 */
export async function openSession(
  model: Uint8Array | string,
  options: RuntimeOptions = {},
): Promise<LoadedSession> {
  const providers = options.providers ?? DEFAULT_PROVIDERS;
  if (providers.length === 0) throw new RuntimeError('no execution provider was allowed');
  let lastError: unknown;
  for (const provider of providers) {
    if (provider === 'cuda' && !cudaProviderInstalled()) {
      options.log?.(
        'onnxruntime: CUDA provider libraries are not installed; trying the next provider',
      );
      lastError = new RuntimeError('CUDA provider libraries are not installed');
      continue;
    }
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
      graphOptimizationLevel: 'all',
      // A provider that cannot load logs an error natively; we report it ourselves instead.
      logSeverityLevel: provider === 'cpu' ? 2 : 4,
      ...(options.intraOpThreads ? { intraOpNumThreads: options.intraOpThreads } : {}),
    };
    try {
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, sessionOptions)
          : await ort.InferenceSession.create(model, sessionOptions);
      options.log?.(`onnxruntime: using the ${provider.toUpperCase()} execution provider`);
      return {
        session,
        provider,
        inputNames: session.inputNames,
        outputNames: session.outputNames,
      };
    } catch (error) {
      lastError = error;
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      options.log?.(
        `onnxruntime: ${provider.toUpperCase()} unavailable (${reason}); trying the next provider`,
      );
    }
  }
  throw new RuntimeError(
    `no execution provider could open the model: ${String(lastError)}`,
    lastError,
  );
}

/** Default intra-op threads: every core (this is a throughput service). */
export function defaultThreads(): number {
  return availableParallelism();
}

/** Runs a session on float32 inputs and returns float32 outputs by name. */
export async function runFloat(
  loaded: LoadedSession,
  inputs: Readonly<Record<string, { data: Float32Array; dims: readonly number[] }>>,
  outputs?: readonly string[],
): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(inputs))
    feeds[name] = new ort.Tensor('float32', t.data, t.dims);
  const result = outputs
    ? await loaded.session.run(feeds, [...outputs])
    : await loaded.session.run(feeds);
  const out: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
  for (const [name, t] of Object.entries(result)) {
    if (t.type !== 'float32')
      throw new RuntimeError(`output ${name} is ${t.type}, expected float32`);
    out[name] = { data: t.data as Float32Array, dims: t.dims };
  }
  return out;
}
