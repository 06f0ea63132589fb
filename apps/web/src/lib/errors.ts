/** A GraphQL error answered by the API, with its `extensions.code` (NOT_FOUND, FORBIDDEN, ...). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
}

/** The data of a GraphQL response, or the first error as an ApiError. */
export function unwrap<T>(body: GraphQLResponse<T>, status: number): T {
  const first = body.errors?.[0];
  if (first)
    throw new ApiError(
      first.message,
      first.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
      first.extensions?.reason,
    );
  if (!body.data) throw new ApiError(`the API answered ${status} without data`, 'BAD_RESPONSE');
  return body.data;
}
