import { ArgsType, Field, Int } from '@nestjs/graphql';
import { DomainError, ApiErrorCode } from '../errors.js';

export enum PaginationErrorCode {
  INVALID_CURSOR = 'INVALID_CURSOR',
  INVALID_PAGE_SIZE = 'INVALID_PAGE_SIZE',
}

export class PaginationError extends DomainError<PaginationErrorCode> {
  readonly apiCode = ApiErrorCode.BAD_USER_INPUT;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** Relay-style forward pagination arguments with bounds. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
  })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Opaque cursor: items after this one.' })
  after?: string;
}

/** Cursors encode (createdAt, id): stable under inserts, opaque to clients. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [iso, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    const createdAt = new Date(String(iso));
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('shape');
    return { createdAt, id };
  } catch {
    throw new PaginationError(
      PaginationErrorCode.INVALID_CURSOR,
      'the cursor is not one this API issued',
    );
  }
}

export function pageSize(first: number | undefined): number {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw new PaginationError(
      PaginationErrorCode.INVALID_PAGE_SIZE,
      `first must be between 1 and ${MAX_PAGE_SIZE}`,
    );
  }
  return n;
}
