/**
 * The inference service's HTTP endpoints, for edge integrations (a camera PC, a PLC gateway) that
 * want a verdict in one round trip. Plain node:http, no framework:
 *
 *   GET  /healthz   200 {status: 'ok'}: the process is up
 *   GET  /readyz    200 / 503 {status, checks}: database (SELECT 1) and object store reachable
 *   POST /predict?productModelId=ID[&modelVersionId=ID][&heatmap=true]
 *        body: the raw image bytes (Content-Type image/* or application/octet-stream)
 *        Authorization: Bearer pdk_... (an API key whose role may INSPECT, as for GraphQL's
 *        inspectImage: 403 otherwise)
 *        200 {productModelId, modelVersionId, score, verdict, threshold, regions, width, height,
 *             timings[, heatmapPng (base64), heatmapWidth, heatmapHeight, heatmapScale, colormap]}
 *
 * /predict records nothing: an inspection that should appear in the dashboard, the review queue
 * and the webhooks goes through the GraphQL `inspectImage` mutation (the API stores the image and
 * the worker writes the Inspection row). Errors are JSON {error: {code, message}}; bad input is
 * always a 4xx (see `inferenceHttpStatus`), never a 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { PrismaClient } from '@padim/db';
import { ImageError } from '@padim/inference';
import type { ModelCache, ScoreImageOptions } from '@padim/jobs/handlers';
import type { ObjectStore } from '@padim/storage';
import { InferenceHttpError, InferenceHttpErrorCode, internalError, tooLarge } from './errors.js';
import { predict } from './predict.js';
import { declaredLength, lingerThenClose, sendError, sendJson, withTimeout } from './request.js';

/** The key that /readyz heads in the object store (absent is fine: the store answered). */
export const READINESS_PROBE_KEY = 'health/readiness-probe';
const READINESS_TIMEOUT_MS = 3_000;

export type InferenceLogLevel = 'info' | 'warn' | 'error';

export interface InferenceServerOptions {
  readonly prisma: PrismaClient;
  readonly cache: ModelCache;
  readonly store: ObjectStore;
  /** Largest accepted request body; larger is 413, refused from Content-Length before reading. */
  readonly maxImageBytes: number;
  /** Decompression-bomb guard (pixels), default preprocess's 64 MP. */
  readonly maxInputPixels?: number;
  /** Heatmap and region settings of every prediction. */
  readonly scoring?: Pick<
    ScoreImageOptions,
    'colormap' | 'heatmapMaxSide' | 'maxRegions' | 'connectivity'
  >;
  /** Whole-request limit (Node's server.requestTimeout), default 60 s. */
  readonly requestTimeoutMs?: number;
  /** Default: warnings and errors to stderr. */
  readonly log?: (level: InferenceLogLevel, message: string, error?: unknown) => void;
  readonly clock?: () => Date;
}

function defaultLog(level: InferenceLogLevel, message: string, error?: unknown): void {
  if (level === 'info') return;
  const detail = error instanceof Error ? `\n${error.stack ?? error.message}` : '';
  process.stderr.write(`[inference-http] ${level}: ${message}${detail}\n`);
}

/** A Node http.Server serving the routes above (call `listen` yourself). */
export function createInferenceServer(options: InferenceServerOptions): Server {
  if (!Number.isSafeInteger(options.maxImageBytes) || options.maxImageBytes < 1)
    throw new RangeError(`maxImageBytes must be a positive integer, got ${options.maxImageBytes}`);
  const log = options.log ?? defaultLog;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(options, log, req, res).catch((error: unknown) => {
      log('error', `unhandled failure on ${req.method} ${req.url}`, error);
      if (!res.headersSent) answerError(req, res, internalError());
      else res.destroy();
    });
  };
  const server = createServer(handler);
  server.requestTimeout = options.requestTimeoutMs ?? 60_000;
  // Expect: 100-continue (curl sends it for bodies past 1 MB): refuse an oversized body before the
  // client sends it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (declaredLength(req) > options.maxImageBytes) {
      answerError(req, res, tooLarge(options.maxImageBytes));
      return;
    }
    res.writeContinue();
    handler(req, res);
  });
  return server;
}

async function handle(
  options: InferenceServerOptions,
  log: NonNullable<InferenceServerOptions['log']>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(`http://localhost${req.url ?? '/'}`);
  } catch {
    answerError(
      req,
      res,
      new InferenceHttpError(InferenceHttpErrorCode.BAD_REQUEST, 'malformed URL'),
    );
    return;
  }
  const route = ROUTES.get(url.pathname);
  if (!route) {
    answerError(
      req,
      res,
      new InferenceHttpError(InferenceHttpErrorCode.NOT_FOUND, 'no such endpoint'),
    );
    return;
  }
  if (!route.methods.includes(req.method ?? '')) {
    answerError(
      req,
      res,
      new InferenceHttpError(
        InferenceHttpErrorCode.METHOD_NOT_ALLOWED,
        `${url.pathname} accepts ${route.methods.join(', ')}`,
        { allow: route.methods.join(', ') },
      ),
    );
    return;
  }
  try {
    await route.run(options, log, req, res, url);
  } catch (error) {
    if (error instanceof InferenceHttpError) {
      answerError(req, res, error);
    } else if (error instanceof ImageError) {
      answerError(req, res, new InferenceHttpError(error.code, error.message));
    } else {
      log('error', `${req.method} ${url.pathname} failed`, error);
      answerError(req, res, internalError());
    }
  }
}

/**
 * Sends an error; when the request body was not read to its end, the rest is not read either:
 * the connection closes after the answer (see lingerThenClose).
 */
function answerError(req: IncomingMessage, res: ServerResponse, error: InferenceHttpError): void {
  const close = !req.complete;
  if (close) lingerThenClose(req);
  sendError(res, error, { close });
}

type Route = {
  readonly methods: readonly string[];
  run(
    options: InferenceServerOptions,
    log: NonNullable<InferenceServerOptions['log']>,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void>;
};

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  [
    '/healthz',
    {
      methods: ['GET', 'HEAD'],
      run: async (_o, _l, _req, res) => sendJson(res, 200, { status: 'ok' }),
    },
  ],
  ['/readyz', { methods: ['GET', 'HEAD'], run: readyz }],
  ['/predict', { methods: ['POST'], run: predict }],
]);

async function readyz(
  options: InferenceServerOptions,
  log: NonNullable<InferenceServerOptions['log']>,
  _req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const checks: [string, () => Promise<unknown>][] = [
    ['database', () => options.prisma.$queryRaw`SELECT 1`],
    ['objectStore', () => options.store.head(READINESS_PROBE_KEY)],
  ];
  const results = await Promise.all(
    checks.map(async ([name, check]) => {
      try {
        await withTimeout(check(), READINESS_TIMEOUT_MS, `${name} did not answer`);
        return { name, ok: true as const };
      } catch (error) {
        // Details (hosts, users) go to the log, not to this unauthenticated endpoint.
        log('warn', `readiness check ${name} failed`, error);
        return { name, ok: false as const, error: 'unavailable' };
      }
    }),
  );
  const ready = results.every((r) => r.ok);
  sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', checks: results });
}
