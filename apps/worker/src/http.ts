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
import { forTenant, type PrismaClient } from '@padim/db';
import type { ObjectStore } from '@padim/storage';
import { ImageError, ImageErrorCode } from '@padim/inference';
import {
  API_KEY_PREFIX,
  Permission,
  VersionSelectionError,
  VersionSelectionErrorCode,
  authenticateApiKey,
  can,
  currentThreshold,
  selectScoringVersion,
  type ApiKeyPrincipal,
} from '@padim/jobs';
import {
  ModelCacheErrorCode,
  isModelCacheError,
  scoreImage,
  type ModelCache,
  type ScoreImageOptions,
} from '@padim/jobs/handlers';

/** The key that /readyz heads in the object store (absent is fine: the store answered). */
export const READINESS_PROBE_KEY = 'health/readiness-probe';
const READINESS_TIMEOUT_MS = 3_000;
const MAX_ID_LENGTH = 128;
/**
 * After an early answer (413, 401, ...) the unread rest of a body is read and dropped for at most
 * this long and this many bytes, then the connection is cut: the client sees the answer (a socket
 * closed with unread input sends a reset that can destroy it), but a large upload is not swallowed.
 */
const LINGER_MS = 2_000;
const LINGER_BYTES = 1 << 20;

export enum InferenceHttpErrorCode {
  BAD_REQUEST = 'BAD_REQUEST',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The API key's role may not INSPECT (the same permission GraphQL's inspectImage needs). */
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  PRODUCT_MODEL_NOT_FOUND = 'PRODUCT_MODEL_NOT_FOUND',
  MODEL_VERSION_NOT_FOUND = 'MODEL_VERSION_NOT_FOUND',
  /** The product model has no active version and none was named. */
  NO_ACTIVE_VERSION = 'NO_ACTIVE_VERSION',
  MODEL_VERSION_NOT_READY = 'MODEL_VERSION_NOT_READY',
  /** A READY version whose artifacts cannot be loaded (missing, unreadable, store down). */
  MODEL_UNAVAILABLE = 'MODEL_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** Every code a response can carry: the service's own and preprocess's ImageErrorCode. */
export type PredictErrorCode = InferenceHttpErrorCode | ImageErrorCode;

export class InferenceHttpError extends Error {
  override readonly name = 'InferenceHttpError';

  constructor(
    readonly code: PredictErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The one mapping from error codes to HTTP statuses. */
export function inferenceHttpStatus(code: PredictErrorCode): number {
  switch (code) {
    case InferenceHttpErrorCode.BAD_REQUEST:
      return 400;
    case InferenceHttpErrorCode.UNAUTHENTICATED:
      return 401;
    case InferenceHttpErrorCode.FORBIDDEN:
      return 403;
    case InferenceHttpErrorCode.NOT_FOUND:
    case InferenceHttpErrorCode.PRODUCT_MODEL_NOT_FOUND:
    case InferenceHttpErrorCode.MODEL_VERSION_NOT_FOUND:
      return 404;
    case InferenceHttpErrorCode.METHOD_NOT_ALLOWED:
      return 405;
    case InferenceHttpErrorCode.NO_ACTIVE_VERSION:
    case InferenceHttpErrorCode.MODEL_VERSION_NOT_READY:
      return 409;
    case InferenceHttpErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case InferenceHttpErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case ImageErrorCode.CORRUPT_IMAGE:
    case ImageErrorCode.UNSUPPORTED_FORMAT:
    case ImageErrorCode.IMAGE_TOO_LARGE:
    case ImageErrorCode.EMPTY_INPUT:
      return 422;
    case InferenceHttpErrorCode.MODEL_UNAVAILABLE:
      return 503;
    case InferenceHttpErrorCode.INTERNAL_SERVER_ERROR:
      return 500;
    default: {
      const unknown: never = code;
      throw new Error(`no HTTP status for error code ${String(unknown)}`);
    }
  }
}

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

/** The JSON body of a 200 from /predict. */
export interface PredictResponse {
  readonly productModelId: string;
  readonly modelVersionId: string;
  readonly score: number;
  readonly verdict: 'GOOD' | 'DEFECT' | null;
  readonly threshold: number | null;
  readonly regions: readonly {
    x: number;
    y: number;
    width: number;
    height: number;
    area: number;
    maxScore: number;
  }[];
  readonly width: number;
  readonly height: number;
  /** Only with heatmap=true: base64 RGBA PNG over the whole original image. */
  readonly heatmapPng?: string;
  readonly heatmapWidth?: number;
  readonly heatmapHeight?: number;
  readonly heatmapScale?: { readonly min: number; readonly max: number };
  readonly colormap?: string;
  readonly timings: Readonly<Record<string, number>>;
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

async function predict(
  options: InferenceServerOptions,
  log: NonNullable<InferenceServerOptions['log']>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const started = performance.now();
  const key = await authenticate(options, log, req);

  const productModelId = idParam(url, 'productModelId', true)!;
  const requestedVersionId = idParam(url, 'modelVersionId', false);
  const heatmap = boolParam(url, 'heatmap');
  checkContentType(req);
  if (declaredLength(req) > options.maxImageBytes) throw tooLarge(options.maxImageBytes);

  // Tenancy: every read below is confined to the key's organization, so another organization's
  // ids find nothing (404), exactly like ids that do not exist.
  const db = forTenant(options.prisma, key.organizationId);
  let modelVersionId: string;
  try {
    ({ id: modelVersionId } = await selectScoringVersion(db, productModelId, requestedVersionId));
  } catch (error) {
    if (error instanceof VersionSelectionError)
      throw new InferenceHttpError(VERSION_ERRORS[error.code], error.message);
    throw error;
  }
  const threshold = await currentThreshold(db, modelVersionId);
  const lookupMs = performance.now() - started;

  const body = await readBody(req, options.maxImageBytes);

  let lease;
  try {
    lease = await options.cache.acquire({
      organizationId: key.organizationId,
      productModelId,
      modelVersionId,
    });
  } catch (error) {
    if (isModelCacheError(error) && error.code !== ModelCacheErrorCode.CACHE_CLOSED) {
      log('error', `model version ${modelVersionId} cannot be loaded`, error);
      throw new InferenceHttpError(
        InferenceHttpErrorCode.MODEL_UNAVAILABLE,
        `model version ${modelVersionId} cannot be loaded right now`,
      );
    }
    throw error;
  }
  let result;
  try {
    result = await scoreImage(lease.detector, body, threshold?.value ?? null, {
      ...options.scoring,
      heatmap,
      ...(options.maxInputPixels === undefined ? {} : { maxInputPixels: options.maxInputPixels }),
    });
  } finally {
    lease.release();
  }

  const response: PredictResponse = {
    productModelId,
    modelVersionId,
    score: result.score,
    verdict: result.verdict,
    threshold: result.threshold,
    regions: result.regions,
    width: result.width,
    height: result.height,
    ...(result.heatmapPng
      ? {
          heatmapPng: Buffer.from(
            result.heatmapPng.buffer,
            result.heatmapPng.byteOffset,
            result.heatmapPng.byteLength,
          ).toString('base64'),
          heatmapWidth: result.heatmapWidth,
          heatmapHeight: result.heatmapHeight,
          heatmapScale: result.scale,
          colormap: result.colormap,
        }
      : {}),
    timings: {
      lookupMs: round(lookupMs),
      ...result.timings,
      requestMs: round(performance.now() - started),
    },
  };
  sendJson(res, 200, response);
}

/** The shared API-key rule (@padim/jobs), then the shared permission matrix: INSPECT. */
async function authenticate(
  options: InferenceServerOptions,
  log: NonNullable<InferenceServerOptions['log']>,
  req: IncomingMessage,
): Promise<ApiKeyPrincipal> {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('an API key is required: Authorization: Bearer pdk_...');
  const token = match[1]!;
  if (!token.startsWith(API_KEY_PREFIX))
    throw unauthenticated('only API keys (pdk_...) are accepted here');
  const key = await authenticateApiKey(options.prisma, token, {
    now: (options.clock ?? (() => new Date()))(),
    // Bookkeeping only: a failed write never fails the prediction.
    onStampError: (error) => log('warn', 'lastUsedAt of an API key not saved', error),
  });
  if (!key) throw unauthenticated('the API key is unknown, revoked or expired');
  if (!can(key.role, Permission.INSPECT))
    throw new InferenceHttpError(
      InferenceHttpErrorCode.FORBIDDEN,
      `the ${key.role} role may not do this (${Permission.INSPECT})`,
    );
  return key;
}

const VERSION_ERRORS: Record<VersionSelectionErrorCode, InferenceHttpErrorCode> = {
  [VersionSelectionErrorCode.PRODUCT_MODEL_NOT_FOUND]:
    InferenceHttpErrorCode.PRODUCT_MODEL_NOT_FOUND,
  [VersionSelectionErrorCode.NO_ACTIVE_VERSION]: InferenceHttpErrorCode.NO_ACTIVE_VERSION,
  [VersionSelectionErrorCode.MODEL_VERSION_NOT_FOUND]:
    InferenceHttpErrorCode.MODEL_VERSION_NOT_FOUND,
  [VersionSelectionErrorCode.MODEL_VERSION_NOT_READY]:
    InferenceHttpErrorCode.MODEL_VERSION_NOT_READY,
};

function unauthenticated(message: string): InferenceHttpError {
  return new InferenceHttpError(InferenceHttpErrorCode.UNAUTHENTICATED, message, {
    'www-authenticate': 'Bearer',
  });
}

function tooLarge(max: number): InferenceHttpError {
  return new InferenceHttpError(
    InferenceHttpErrorCode.PAYLOAD_TOO_LARGE,
    `the image is larger than the limit of ${max} bytes`,
  );
}

function internalError(): InferenceHttpError {
  return new InferenceHttpError(
    InferenceHttpErrorCode.INTERNAL_SERVER_ERROR,
    'internal server error',
  );
}

function idParam(url: URL, name: string, required: boolean): string | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === '') {
    if (!required) return undefined;
    throw new InferenceHttpError(
      InferenceHttpErrorCode.BAD_REQUEST,
      `query parameter ${name} is required`,
    );
  }
  if (value.length > MAX_ID_LENGTH || !/^[\w-]+$/.test(value))
    throw new InferenceHttpError(
      InferenceHttpErrorCode.BAD_REQUEST,
      `query parameter ${name} is not an id`,
    );
  return value;
}

function boolParam(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  if (value === null || value === 'false' || value === '0') return false;
  if (value === '' || value === 'true' || value === '1') return true;
  throw new InferenceHttpError(
    InferenceHttpErrorCode.BAD_REQUEST,
    `query parameter ${name} must be true or false`,
  );
}

/** The body is the image itself: image/*, application/octet-stream, or no type at all. */
function checkContentType(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || type === 'application/octet-stream' || /^image\/[\w.+-]+$/.test(type)) return;
  throw new InferenceHttpError(
    InferenceHttpErrorCode.UNSUPPORTED_MEDIA_TYPE,
    `send the raw image bytes as image/* (got ${type})`,
  );
}

/** Content-Length as declared, or -1 (chunked or absent). */
function declaredLength(req: IncomingMessage): number {
  const header = req.headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header)) return -1;
  return Number(header);
}

/** Reads the body, refusing it with 413 as soon as it passes `max` bytes (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        cleanup();
        req.pause();
        reject(tooLarge(max));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      const all = Buffer.concat(chunks, size);
      resolve(new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(
        new InferenceHttpError(
          InferenceHttpErrorCode.BAD_REQUEST,
          `the request body could not be read: ${error.message}`,
        ),
      );
    };
    const onAborted = () => onError(new Error('the client aborted the upload'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** Drops what is left of the request body for a bounded time and size, then cuts the connection. */
function lingerThenClose(req: IncomingMessage): void {
  let dropped = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) cut();
  });
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  error: InferenceHttpError,
  options: { readonly close?: boolean } = {},
): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  sendJson(
    res,
    inferenceHttpStatus(error.code),
    { error: { code: error.code, message: error.message } },
    options.close ?? false,
  );
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
