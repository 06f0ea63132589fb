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

/** PostgreSQL timestamptz covers 4713 BC to 294276 AD; we accept years 1 to 9999. */
export function isStorableDate(date: Date): boolean {
  const t = date.getTime();
  return Number.isFinite(t) && date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999;
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
    // A NUL byte cannot be compared by PostgreSQL (it would fail in the database, not here).
    if (typeof id !== 'string' || id.includes('\u0000') || Number.isNaN(createdAt.getTime()))
      throw new Error('shape');
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

/** The Prisma filter and order for "rows after `after`, newest first" on (createdAt, id). */
export function pageWindow(args: { first?: number; after?: string }): {
  where: Record<string, unknown>;
  orderBy: [{ createdAt: 'desc' }, { id: 'desc' }];
  take: number;
  size: number;
} {
  const size = pageSize(args.first);
  const cursor = args.after ? decodeCursor(args.after) : undefined;
  return {
    where: cursor
      ? {
          OR: [
            { createdAt: { lt: cursor.createdAt } },
            { createdAt: cursor.createdAt, id: { lt: cursor.id } },
          ],
        }
      : {},
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: size + 1,
    size,
  };
}

/** Turns rows fetched with `pageWindow` (one extra row) into a Relay connection. */
export function toConnection<T extends { createdAt: Date; id: string }, N = T>(
  rows: readonly T[],
  size: number,
  map: (row: T) => N = (row) => row as unknown as N,
): {
  edges: { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
} {
  const page = rows.slice(0, size);
  const edges = page.map((row) => ({
    cursor: encodeCursor(row.createdAt, row.id),
    node: map(row),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
