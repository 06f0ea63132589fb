/**
 * Webhook delivery. Events are written to an outbox (WebhookDelivery rows, PENDING) inside the
 * transaction that produced them, enqueued after commit, and POSTed by the worker: signed, retried
 * with exponential backoff, never sent twice once SUCCEEDED, and checked against SSRF on the
 * addresses the host resolves to at delivery time (the connection is pinned to those addresses, so
 * a second DNS answer cannot send it elsewhere). A sweeper re-enqueues rows whose job was lost.
 *
 * Signature scheme (what receivers verify, with `verifyWebhookSignature` or by hand):
 *
 *   Padim-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw request body>")>
 *
 * The receiver recomputes the HMAC over the exact bytes it received (not re-serialised JSON),
 * compares in constant time, and rejects a timestamp more than 5 minutes from its clock (replays).
 * Several v1 entries may appear; one match is enough. Padim-Delivery (the delivery id, also
 * `payload.id`) is the same on every retry of one delivery: receivers deduplicate on it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as dns, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { forTenant, WebhookDeliveryStatus, type Prisma, type PrismaClient } from '@padim/db';
import {
  QUEUES,
  backoffDelay,
  webhookQueueJobId,
  type EnqueueResult,
  type JobQueue,
  type JsonValue,
  type QueueWorker,
  type WebhookEventName,
  type WebhookJobPayload,
  type WorkerOptions,
} from '@padim/queue';
import { isPrivateAddress, isPrivateHost } from './private-address.js';
import { parseWebhookPayload } from './rules/payloads.js';

/**
 * Handler runs per delivery. With WEBHOOK_BACKOFF_MS the waits are 2 s, 4 s, ... 512 s: about
 * 17 minutes from the first attempt to the last.
 */
export const WEBHOOK_ATTEMPTS = 10;
/** Exponential backoff base: retry n waits WEBHOOK_BACKOFF_MS * 2^(n-1). */
export const WEBHOOK_BACKOFF_MS = 2000;
/** One attempt (connect, send, response headers and body) is aborted after this long. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Receivers reject signatures whose timestamp is further than this from their clock. */
export const WEBHOOK_SIGNATURE_TOLERANCE_S = 300;
/** Bytes of the receiver's response body kept on the row (for debugging). */
export const WEBHOOK_RESPONSE_BODY_LIMIT = 2048;
export const WEBHOOK_USER_AGENT = 'padim-webhooks/1';

// ---------------------------------------------------------------------------------------------
// Signatures

function hmacHex(secret: string, timestamp: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The Padim-Signature header value: `t=<timestampSeconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signWebhook(
  secret: string,
  timestampSeconds: number,
  body: string | Uint8Array,
): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0)
    throw new RangeError(
      `timestampSeconds must be a non-negative integer, got ${timestampSeconds}`,
    );
  const t = String(timestampSeconds);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

export interface VerifyWebhookOptions {
  /** Largest accepted distance between the signed timestamp and `now`. Default 300 s. */
  readonly toleranceSeconds?: number;
  /** The receiver's clock. Default: the current time. */
  readonly now?: Date;
}

/**
 * Whether `header` (a Padim-Signature value) signs `body` (the raw bytes received) with `secret`
 * within the timestamp tolerance. Constant-time in the signature; false for anything malformed.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): boolean {
  const tolerance = options.toleranceSeconds ?? WEBHOOK_SIGNATURE_TOLERANCE_S;
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,15}$/.test(value)) return false;
      timestamp = value;
    } else if (key === 'v1' && /^[0-9a-fA-F]{64}$/.test(value)) {
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - Number(timestamp)) > tolerance) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  let ok = false;
  for (const signature of signatures) ok = timingSafeEqual(expected, signature) || ok;
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Outbox

export interface WebhookRetryPolicy {
  /** Handler runs per delivery; the queue job is enqueued with the same number. */
  readonly attempts: number;
  /** Exponential backoff base in milliseconds. */
  readonly backoffMs: number;
}

function retryPolicy(retry: Partial<WebhookRetryPolicy> = {}): WebhookRetryPolicy {
  return {
    attempts: retry.attempts ?? WEBHOOK_ATTEMPTS,
    backoffMs: retry.backoffMs ?? WEBHOOK_BACKOFF_MS,
  };
}

/** What is POSTed, as stored in WebhookDelivery.payload. */
export interface WebhookPayload {
  readonly [key: string]: JsonValue;
  /** The delivery id (also the Padim-Delivery header): the receiver's deduplication key. */
  readonly id: string;
  readonly event: WebhookEventName;
  /** ISO 8601, when the event was recorded. */
  readonly createdAt: string;
  readonly organizationId: string;
  readonly data: JsonValue;
}

/** A tenant client, a transaction client, or a tenant client's transaction client. */
export type WebhookOutboxClient = Pick<PrismaClient, 'webhook' | 'webhookDelivery'>;

/** A UUIDv7 (the schema's id kind: time-ordered), made here because the payload carries the id. */
function uuidv7(at: Date): string {
  const b = randomBytes(16);
  b.writeUIntBE(at.getTime(), 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The outbox write: one PENDING WebhookDelivery per active webhook of `organizationId` subscribed
 * to `event`, in the caller's transaction (so a rolled-back event sends nothing). Returns the new
 * delivery ids; after commit the caller passes them to `enqueueWebhookDeliveries` (a crash in
 * between is repaired by `sweepPendingDeliveries`). The organization filter is explicit, so a plain
 * transaction client is safe too.
 */
export async function recordWebhookEvent(
  tx: WebhookOutboxClient,
  organizationId: string,
  event: WebhookEventName,
  data: JsonValue,
): Promise<string[]> {
  const hooks = await tx.webhook.findMany({
    where: { organizationId, active: true, events: { has: event } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  if (hooks.length === 0) return [];
  const createdAt = new Date();
  const rows = hooks.map((hook) => {
    const id = uuidv7(createdAt);
    const payload: WebhookPayload = {
      id,
      event,
      createdAt: createdAt.toISOString(),
      organizationId,
      data,
    };
    return {
      id,
      organizationId,
      webhookId: hook.id,
      event,
      createdAt,
      payload: payload as Prisma.InputJsonObject,
    };
  });
  await tx.webhookDelivery.createMany({ data: rows });
  return rows.map((r) => r.id);
}

/**
 * Enqueues one job per delivery (jobId = webhookQueueJobId, so enqueueing twice runs once). Pass
 * the same `retry` as the worker's deps: the worker needs the attempt count to know its last run.
 */
export async function enqueueWebhookDeliveries(
  queue: JobQueue,
  organizationId: string,
  deliveryIds: readonly string[],
  retry: Partial<WebhookRetryPolicy> = {},
): Promise<EnqueueResult[]> {
  const { attempts, backoffMs } = retryPolicy(retry);
  const results: EnqueueResult[] = [];
  for (const deliveryId of deliveryIds) {
    results.push(
      await queue.enqueue<WebhookJobPayload>(
        QUEUES.webhooks,
        { organizationId, deliveryId },
        { jobId: webhookQueueJobId(deliveryId), attempts, backoffMs },
      ),
    );
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Delivery

export interface WebhookResponse {
  readonly status: number;
  text(): Promise<string>;
}

export interface WebhookRequestInit {
  readonly method: 'POST';
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly redirect: 'manual';
  readonly signal: AbortSignal;
}

/** The HTTP client: by default node:http(s) pinned to the checked addresses; the global fetch fits. */
export type WebhookFetch = (url: string, init: WebhookRequestInit) => Promise<WebhookResponse>;

/** Every address a host name resolves to. Default: dns.lookup with `all: true`. */
export type WebhookLookup = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface WebhookDeliveryDeps {
  readonly prisma: PrismaClient;
  /** Allow targets that resolve to private, loopback or link-local addresses (development only). */
  readonly allowPrivateTargets: boolean;
  /** Per attempt. Default WEBHOOK_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Must match what `enqueueWebhookDeliveries` was given. Default WEBHOOK_ATTEMPTS, WEBHOOK_BACKOFF_MS. */
  readonly retry?: Partial<WebhookRetryPolicy>;
  /**
   * Replaces the pinned node:http(s) client (tests). The SSRF check still runs first, but the
   * replacement resolves the name again itself: the connection is then not pinned.
   */
  readonly fetch?: WebhookFetch;
  readonly lookup?: WebhookLookup;
  readonly now?: () => Date;
}

/** `skipped`: nothing to do (no such row in this organization, or no longer PENDING). */
export type WebhookDeliveryOutcome = 'succeeded' | 'failed' | 'skipped';

type Attempt =
  | { readonly kind: 'succeeded'; readonly status: number; readonly body: string }
  | {
      readonly kind: 'retry' | 'final';
      readonly error: string;
      readonly status: number | null;
      readonly body: string | null;
    };

const final = (error: string): Attempt => ({ kind: 'final', error, status: null, body: null });
const retryable = (error: string): Attempt => ({ kind: 'retry', error, status: null, body: null });

function message(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** At most WEBHOOK_RESPONSE_BODY_LIMIT bytes of UTF-8, without NULs (PostgreSQL text refuses them). */
function truncateBody(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const cut = bytes.length > WEBHOOK_RESPONSE_BODY_LIMIT;
  const kept = cut ? bytes.subarray(0, WEBHOOK_RESPONSE_BODY_LIMIT).toString('utf8') : text;
  return (cut ? kept.replace(/\uFFFD$/, '') : kept).replaceAll('\u0000', '');
}

async function resolveHost(
  hostname: string,
  lookup: WebhookLookup | undefined,
): Promise<readonly LookupAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family }];
  if (lookup) return lookup(host);
  return dns.lookup(host, { all: true, verbatim: true });
}

/**
 * A WebhookFetch over node:http(s) whose connection goes to `addresses` only (they were checked),
 * whatever DNS answers now. No agent (no pooled socket from an earlier check), no redirects (node:http
 * never follows them). The body is read up to the row's limit, then the connection is dropped.
 */
function pinnedFetch(addresses: readonly LookupAddress[]): WebhookFetch {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    const usable = addresses.filter((a) => !options.family || a.family === options.family);
    const answer = usable.length > 0 ? usable : addresses;
    if (options.all)
      callback(
        null,
        answer.map((a) => ({ ...a })),
      );
    else callback(null, answer[0]!.address, answer[0]!.family);
  };
  return (href, init) =>
    new Promise<WebhookResponse>((resolve, reject) => {
      const url = new URL(href);
      const client = url.protocol === 'https:' ? https : http;
      let responded = false;
      const req = client.request(
        url,
        {
          method: init.method,
          headers: { ...init.headers, 'Content-Length': String(Buffer.byteLength(init.body)) },
          lookup,
          agent: false,
          signal: init.signal,
        },
        (res) => {
          responded = true;
          const chunks: Buffer[] = [];
          let size = 0;
          const settle = (): void => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, text: () => Promise.resolve(text) });
          };
          res.on('data', (chunk: Buffer) => {
            if (size < WEBHOOK_RESPONSE_BODY_LIMIT) chunks.push(chunk);
            size += chunk.length;
            if (size >= WEBHOOK_RESPONSE_BODY_LIMIT) res.destroy();
          });
          // The status decides the outcome; a body cut short (limit, timeout, reset) is kept as read.
          res.on('error', () => undefined);
          res.on('close', settle);
        },
      );
      // Once the status is in, an abort or reset only cuts the body short (see 'close').
      req.on('error', (err) => {
        if (!responded) reject(err);
      });
      req.end(init.body);
    });
}

async function attemptDelivery(
  deps: WebhookDeliveryDeps,
  delivery: { id: string; event: string; payload: Prisma.JsonValue },
  webhook: { url: string; secret: string },
  signal: AbortSignal | undefined,
): Promise<Attempt> {
  let url: URL;
  try {
    url = new URL(webhook.url);
  } catch {
    return final('invalid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return final(`unsupported URL scheme ${url.protocol}`);

  let addresses: readonly LookupAddress[];
  try {
    addresses = await resolveHost(url.hostname, deps.lookup);
  } catch (err) {
    return retryable(`DNS lookup of ${url.hostname} failed: ${message(err)}`);
  }
  if (addresses.length === 0) return retryable(`DNS lookup of ${url.hostname} found no address`);
  if (!deps.allowPrivateTargets) {
    const blocked = isPrivateHost(url.hostname)
      ? url.hostname
      : addresses.find((a) => isPrivateAddress(a.address))?.address;
    if (blocked !== undefined)
      return final(`refused: ${url.hostname} resolves to a private address (${blocked})`);
  }

  const body = JSON.stringify(delivery.payload);
  const now = deps.now ?? (() => new Date());
  const headers = {
    'Content-Type': 'application/json',
    'User-Agent': WEBHOOK_USER_AGENT,
    'Padim-Event': delivery.event,
    'Padim-Delivery': delivery.id,
    'Padim-Signature': signWebhook(webhook.secret, Math.floor(now().getTime() / 1000), body),
  };
  const timeoutMs = deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const send = deps.fetch ?? pinnedFetch(addresses);
  let status: number;
  let text: string;
  try {
    const res = await send(url.href, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    status = res.status;
    text = truncateBody(await res.text());
  } catch (err) {
    if (timeout.aborted) return retryable(`timed out after ${timeoutMs} ms`);
    if (signal?.aborted) return retryable('cancelled');
    return retryable(`request failed: ${message(err)}`);
  }
  if (status >= 200 && status < 300) return { kind: 'succeeded', status, body: text };
  // A 4xx (other than 408 Request Timeout and 429 Too Many Requests) is the receiver saying the
  // request itself is wrong (gone, unauthorised, rejected): sending it again will not help.
  // Redirects are not followed and are retried like 5xx (the receiver may be mid-migration).
  const isFinal = status >= 400 && status < 500 && status !== 408 && status !== 429;
  const error =
    status >= 300 && status < 400 ? `HTTP ${status} (redirect not followed)` : `HTTP ${status}`;
  return { kind: isFinal ? 'final' : 'retry', error, status, body: text };
}

/**
 * Runs one attempt of one delivery (the body of the webhooks queue's handler). Loads the row
 * through the tenant client; a missing or foreign row, or one no longer PENDING, is `skipped` (so a
 * SUCCEEDED delivery is never sent again). Records the attempt on the row. A retryable failure
 * (network error, timeout, 5xx, 3xx, 408, 429, DNS failure) throws so that the queue runs it again,
 * except on the last attempt (`attempt >= retry.attempts`), which marks it FAILED and returns.
 * Refused targets (private addresses), other 4xx, invalid URLs and disabled webhooks fail at once.
 */
export async function deliverWebhook(
  deps: WebhookDeliveryDeps,
  payload: WebhookJobPayload,
  attempt: number,
  signal?: AbortSignal,
): Promise<WebhookDeliveryOutcome> {
  const db = forTenant(deps.prisma, payload.organizationId);
  const now = deps.now ?? (() => new Date());
  const { attempts, backoffMs } = retryPolicy(deps.retry);
  const delivery = await db.webhookDelivery.findFirst({
    where: { id: payload.deliveryId },
    include: { webhook: true },
  });
  if (!delivery || delivery.status !== WebhookDeliveryStatus.PENDING) return 'skipped';

  const result: Attempt = delivery.webhook.active
    ? await attemptDelivery(deps, delivery, delivery.webhook, signal)
    : final('webhook disabled');
  const last = result.kind === 'final' || attempt >= attempts;
  const status =
    result.kind === 'succeeded'
      ? WebhookDeliveryStatus.SUCCEEDED
      : last
        ? WebhookDeliveryStatus.FAILED
        : WebhookDeliveryStatus.PENDING;
  const at = now();
  await db.webhookDelivery.updateMany({
    // Only a PENDING row: a concurrent run that already finished it is left as it is.
    where: { id: delivery.id, status: WebhookDeliveryStatus.PENDING },
    data: {
      status,
      attempts: attempt,
      responseStatus: result.status,
      responseBody: result.body,
      error: result.kind === 'succeeded' ? null : result.error,
      nextAttemptAt:
        status === WebhookDeliveryStatus.PENDING
          ? new Date(at.getTime() + backoffDelay(backoffMs, attempt))
          : null,
      deliveredAt: result.kind === 'succeeded' ? at : null,
    },
  });
  if (result.kind === 'succeeded') return 'succeeded';
  if (last) return 'failed';
  throw new Error(
    `webhook delivery ${delivery.id}, attempt ${attempt} of ${attempts}: ${result.error}`,
  );
}

/** Runs `deliverWebhook` for every job of the webhooks queue. */
export function registerWebhookWorker(
  queue: JobQueue,
  deps: WebhookDeliveryDeps,
  options?: WorkerOptions,
): Promise<QueueWorker> {
  return queue.worker<WebhookJobPayload, WebhookDeliveryOutcome>(
    QUEUES.webhooks,
    (job) => deliverWebhook(deps, parseWebhookPayload(job.payload), job.attempt, job.signal),
    options,
  );
}

// ---------------------------------------------------------------------------------------------
// Sweeper

export interface SweepPendingOptions {
  /** Only rows created (and, if retried, due) at least this long ago: fresh ones are in flight. */
  readonly olderThanMs: number;
  /** Rows per sweep, oldest first. Default 1000. */
  readonly limit?: number;
  /** Must match the worker's. */
  readonly retry?: Partial<WebhookRetryPolicy>;
  readonly now?: Date;
}

export interface SweepResult {
  /** PENDING rows old enough to be looked at. */
  readonly found: number;
  /** Jobs created (the others still existed in the queue: deduplicated). */
  readonly enqueued: number;
}

/**
 * Re-enqueues PENDING deliveries whose job may have been lost (a crash between the outbox commit
 * and the enqueue, or an in-memory queue that died with its process). Idempotent: the jobId is the
 * delivery's, so a job still waiting, retrying or running is not duplicated, and the handler skips
 * rows that are no longer PENDING. Cross-tenant by design (a system task): it reads only ids and
 * organization ids and enqueues; every row is then loaded through the tenant client by the handler.
 * A job that failed without updating its row (e.g. the database was down on its last run) keeps its
 * jobId for the queue's failed-job retention, during which it is not re-enqueued.
 */
export async function sweepPendingDeliveries(
  prisma: PrismaClient,
  queue: JobQueue,
  options: SweepPendingOptions,
): Promise<SweepResult> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanMs);
  const rows = await prisma.webhookDelivery.findMany({
    where: {
      status: WebhookDeliveryStatus.PENDING,
      createdAt: { lte: cutoff },
      OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: cutoff } }],
    },
    select: { id: true, organizationId: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: options.limit ?? 1000,
  });
  let enqueued = 0;
  for (const row of rows) {
    const [result] = await enqueueWebhookDeliveries(
      queue,
      row.organizationId,
      [row.id],
      options.retry,
    );
    if (result && !result.deduplicated) enqueued += 1;
  }
  return { found: rows.length, enqueued };
}
