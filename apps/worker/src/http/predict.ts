/**
 * POST /predict: the API key (the platform's one rule and permission matrix), the version that
 * answers (the platform's one choice), then the cached detector. Records nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forTenant } from '@padim/db';
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
import { ModelCacheErrorCode, isModelCacheError, scoreImage } from '@padim/jobs/handlers';
import { InferenceHttpError, InferenceHttpErrorCode, tooLarge, unauthenticated } from './errors.js';
import {
  boolParam,
  checkContentType,
  declaredLength,
  idParam,
  readBody,
  round,
  sendJson,
} from './request.js';
import type { InferenceServerOptions } from './server.js';

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

export async function predict(
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
