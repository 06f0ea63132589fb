import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

import { ObjectStoreError, ObjectStoreErrorCode } from './errors.js';
import type { FsObjectStore } from './fs-object-store.js';
import { assertContentType } from './validate.js';

/** HTTP status for each error code, as S3 would answer (expired and forged URLs are both 403). */
export function httpStatusOf(code: ObjectStoreErrorCode): number {
  switch (code) {
    case ObjectStoreErrorCode.NOT_FOUND:
      return 404;
    case ObjectStoreErrorCode.INVALID_KEY:
    case ObjectStoreErrorCode.INVALID_ARGUMENT:
    case ObjectStoreErrorCode.SIZE_MISMATCH:
      return 400;
    case ObjectStoreErrorCode.TOO_LARGE:
      return 413;
    case ObjectStoreErrorCode.FORBIDDEN:
    case ObjectStoreErrorCode.EXPIRED:
      return 403;
    case ObjectStoreErrorCode.UNAVAILABLE:
      return 503;
    case ObjectStoreErrorCode.INTERNAL:
      return 500;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

function sendError(res: ServerResponse, err: ObjectStoreError): void {
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  const body = JSON.stringify({ error: { code: err.code, message: err.message } });
  res.writeHead(httpStatusOf(err.code), {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    // The request body may be unread (refused upload): do not keep the connection for reuse.
    connection: 'close',
  });
  res.end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The HTTP route behind the filesystem store's presigned URLs: mount it on `{baseUrl}/objects/*`
 * (a bare `http.createServer(handler)`, Express `app.use(path, handler)` or a Nest middleware).
 * Signature, expiry, content type and maxBytes are checked before any byte is stored; PUTs need a
 * Content-Length (411 otherwise). Errors answer `{"error": {"code", "message"}}` with 400/403/404/
 * 413/503. It reads `req.originalUrl` (Express) when present, else `req.url`.
 */
export function createPresignedObjectHandler(
  store: FsObjectStore,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
      const grant = store.verifyPresigned(req.method ?? 'GET', url);
      if (grant.method === 'GET') {
        const info = await store.head(grant.key);
        if (info === null) {
          throw new ObjectStoreError(
            ObjectStoreErrorCode.NOT_FOUND,
            `object ${grant.key} not found`,
            {
              key: grant.key,
            },
          );
        }
        const stream = await store.getStream(grant.key);
        res.writeHead(200, {
          'content-type': info.contentType,
          'content-length': info.size,
          etag: `"${info.etag}"`,
          'last-modified': info.lastModified.toUTCString(),
          'cache-control': 'private, no-store',
        });
        await pipeline(stream, res);
        return;
      }

      const lengthText = header(req, 'content-length');
      if (lengthText === undefined || !/^\d+$/.test(lengthText)) {
        res.writeHead(411, { connection: 'close' });
        res.end();
        return;
      }
      const size = Number(lengthText);
      if (grant.maxBytes !== undefined && size > grant.maxBytes) {
        throw new ObjectStoreError(
          ObjectStoreErrorCode.TOO_LARGE,
          `upload of ${size} bytes exceeds the URL's limit of ${grant.maxBytes}`,
          { key: grant.key },
        );
      }
      const sent = header(req, 'content-type');
      if (grant.contentType !== undefined && sent !== grant.contentType) {
        throw new ObjectStoreError(
          ObjectStoreErrorCode.FORBIDDEN,
          `this URL requires Content-Type ${grant.contentType}`,
          { key: grant.key },
        );
      }
      const contentType = grant.contentType ?? sent ?? 'application/octet-stream';
      assertContentType(contentType, grant.key);
      const result = await store.put(grant.key, { stream: req, size }, { contentType });
      res.writeHead(200, { etag: `"${result.etag}"`, 'content-length': 0 });
      res.end();
    } catch (err) {
      sendError(
        res,
        err instanceof ObjectStoreError
          ? err
          : new ObjectStoreError(
              ObjectStoreErrorCode.INTERNAL,
              'presigned request failed',
              {},
              { cause: err },
            ),
      );
    }
  };
}
