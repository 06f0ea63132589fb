import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import { FsObjectStore, createPresignedObjectHandler, type ObjectStore } from '@padim/storage';
import { ApiErrorCode } from '../common/errors.js';
import type { AppConfig } from '../config/config.js';
import { OBJECTS_ROUTE } from './object-store.factory.js';

/**
 * The HTTP routes of the object store that sit outside GraphQL. Mount before `app.init()` so they
 * run ahead of Nest's body parsers and Apollo:
 * - `/objects/*`: presigned GET/PUT of the filesystem store (S3 serves its own URLs);
 * - GraphQL multipart requests on `/graphql` (graphql-upload), with size and count limits.
 */
export function mountObjectRoutes(app: INestApplication, store: ObjectStore): void {
  if (store instanceof FsObjectStore) app.use(OBJECTS_ROUTE, createPresignedObjectHandler(store));
}

interface HttpError {
  status?: number;
  expose?: boolean;
  message?: string;
}

export function mountGraphqlUploads(app: INestApplication, config: AppConfig): void {
  app.use(
    '/graphql',
    graphqlUploadExpress({
      maxFileSize: config.MULTIPART_MAX_FILE_BYTES,
      maxFiles: config.MULTIPART_MAX_FILES,
      maxFieldSize: 1024 * 1024,
    }),
    // A malformed or over-limit multipart request answers a GraphQL-shaped client error, not
    // Express's HTML error page.
    (error: HttpError, _req: Request, res: Response, next: NextFunction): void => {
      if (typeof error?.status !== 'number' || error.status >= 500) return next(error);
      const code =
        error.status === 413 ? ApiErrorCode.PAYLOAD_TOO_LARGE : ApiErrorCode.BAD_USER_INPUT;
      res.status(error.status).json({
        errors: [{ message: error.expose ? error.message : 'bad upload', extensions: { code } }],
      });
    },
  );
}
