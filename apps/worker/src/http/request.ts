/** Request parsing and answering for the framework-free server: parameters, bodies, JSON. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  InferenceHttpError,
  InferenceHttpErrorCode,
  inferenceHttpStatus,
  tooLarge,
} from './errors.js';

const MAX_ID_LENGTH = 128;
/**
 * After an early answer (413, 401, ...) the unread rest of a body is read and dropped for at most
 * this long and this many bytes, then the connection is cut: the client sees the answer (a socket
 * closed with unread input sends a reset that can destroy it), but a large upload is not swallowed.
 */
const LINGER_MS = 2_000;
const LINGER_BYTES = 1 << 20;

export function idParam(url: URL, name: string, required: boolean): string | undefined {
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

export function boolParam(url: URL, name: string): boolean {
  const value = url.searchParams.get(name);
  if (value === null || value === 'false' || value === '0') return false;
  if (value === '' || value === 'true' || value === '1') return true;
  throw new InferenceHttpError(
    InferenceHttpErrorCode.BAD_REQUEST,
    `query parameter ${name} must be true or false`,
  );
}

/** The body is the image itself: image/*, application/octet-stream, or no type at all. */
export function checkContentType(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || type === 'application/octet-stream' || /^image\/[\w.+-]+$/.test(type)) return;
  throw new InferenceHttpError(
    InferenceHttpErrorCode.UNSUPPORTED_MEDIA_TYPE,
    `send the raw image bytes as image/* (got ${type})`,
  );
}

/** Content-Length as declared, or -1 (chunked or absent). */
export function declaredLength(req: IncomingMessage): number {
  const header = req.headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header)) return -1;
  return Number(header);
}

/** Reads the body, refusing it with 413 as soon as it passes `max` bytes (the rest is not read). */
export function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
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
export function lingerThenClose(req: IncomingMessage): void {
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

export function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
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

export function sendError(
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

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
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

export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
