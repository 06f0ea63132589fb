import { Logger } from '@nestjs/common';
import type { GraphQLFormattedError } from 'graphql';

/** GraphQL `extensions.code` values this API answers with. */
export enum ApiErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/**
 * Base of every feature's exception: a feature defines its own code enum and maps each code to an
 * ApiErrorCode in `apiCode`. Messages are for users: no internals.
 */
export abstract class DomainError<C extends string = string> extends Error {
  abstract readonly apiCode: ApiErrorCode;
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
  }
}

const logger = new Logger('GraphQL');

/**
 * Database outcomes that a client can cause by racing itself (a double submit, a delete next to an
 * update) are client errors too: the row vanished (P2025), a unique key was taken (P2002), a row
 * is still referenced (P2003) or a serialisable transaction lost (P2034). Duck-typed on the code
 * so that it holds across module realms.
 */
function prismaClientError(
  error: unknown,
): { code: ApiErrorCode; reason: string; message: string } | null {
  if (
    !(error instanceof Error) ||
    error.name !== 'PrismaClientKnownRequestError' ||
    !('code' in error)
  )
    return null;
  switch (error.code) {
    case 'P2025':
      return {
        code: ApiErrorCode.NOT_FOUND,
        reason: 'RECORD_NOT_FOUND',
        message: 'the record no longer exists',
      };
    case 'P2002':
      return {
        code: ApiErrorCode.CONFLICT,
        reason: 'UNIQUE_CONSTRAINT',
        message: 'a record with these values exists',
      };
    case 'P2003':
    case 'P2014':
      return {
        code: ApiErrorCode.CONFLICT,
        reason: 'STILL_REFERENCED',
        message: 'other records still refer to this one',
      };
    case 'P2034':
      return {
        code: ApiErrorCode.CONFLICT,
        reason: 'CONCURRENT_UPDATE',
        message: 'a concurrent change won; try again',
      };
    default:
      return null;
  }
}

function isGraphQLError(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'GraphQLError' &&
    'locations' in error &&
    'extensions' in error
  );
}

/** The error a resolver threw, if `error` is a GraphQLError wrapping one (duck-typed: realm-safe). */
function unwrap(error: unknown): unknown {
  if (error instanceof Error && 'originalError' in error && error.originalError instanceof Error)
    return error.originalError;
  return error;
}

/** Codes that graphql-js / Apollo produce themselves for malformed requests. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo `formatError`: domain errors keep their message and get their mapped code (plus the
 * feature's own code as `extensions.reason`); client errors from parsing and validation pass
 * through; everything else is logged with its stack and answered as a generic
 * INTERNAL_SERVER_ERROR without internals.
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = unwrap(error);
  if (original instanceof DomainError) {
    return {
      ...formatted,
      message: original.message,
      extensions: { code: original.apiCode, reason: original.code },
    };
  }
  const prisma = prismaClientError(original);
  if (prisma)
    return {
      message: prisma.message,
      path: formatted.path,
      extensions: { code: prisma.code, reason: prisma.reason },
    };
  const code = formatted.extensions?.code;
  // A client code is trusted only when no thrown (non-GraphQL) error hides behind it.
  if (
    typeof code === 'string' &&
    CLIENT_CODES.has(code) &&
    (original === error || isGraphQLError(original))
  ) {
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code },
    };
  }
  logger.error(original instanceof Error ? (original.stack ?? original.message) : String(original));
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: ApiErrorCode.INTERNAL_SERVER_ERROR },
  };
}
