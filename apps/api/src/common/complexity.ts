import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { ComplexityEstimatorArgs } from '@nestjs/graphql';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from './pagination/cursor.js';

/** The plugin type as Nest's Apollo driver declares it (its CommonJS view of @apollo/server). */
type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/**
 * Field complexity of a paged list: its children count once per requested item, so
 * `inspections(first: 100) { ... }` costs a hundred times its selection. Use it as
 * `@Query(() => XConnection, { complexity: pagedComplexity })`.
 */
export function pagedComplexity({ args, childComplexity }: ComplexityEstimatorArgs): number {
  const first: unknown = args.first;
  const size = typeof first === 'number' && first > 0 ? first : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * size;
}

/**
 * The error for an operation whose estimated cost exceeds `maxComplexity` (fields cost 1 unless
 * their `complexity` extension says otherwise), or undefined. Bad variables yield undefined:
 * execution answers them with its own client error.
 */
export function complexityError(
  operation: {
    schema: GraphQLSchema;
    document: DocumentNode;
    variables: Record<string, unknown>;
    operationName: string | undefined;
  },
  maxComplexity: number,
): GraphQLError | undefined {
  let complexity: number;
  try {
    complexity = getComplexity({
      schema: operation.schema,
      query: operation.document,
      variables: operation.variables,
      operationName: operation.operationName,
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch {
    return undefined;
  }
  if (complexity <= maxComplexity) return undefined;
  return new GraphQLError(
    `the query's complexity is ${complexity}; the limit is ${maxComplexity}`,
    {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
    },
  );
}

/**
 * An Apollo plugin that rejects an operation whose estimated cost exceeds `maxComplexity` before
 * it runs. Answered as a client error (GRAPHQL_VALIDATION_FAILED, HTTP 400), like the depth limit.
 * (Subscriptions over graphql-ws bypass Apollo: events/graphql-ws.options.ts applies the same check.)
 */
export function complexityLimit(maxComplexity: number): ApolloPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation({ schema, document, request }) {
          const error = complexityError(
            {
              schema,
              document,
              variables: request.variables ?? {},
              operationName: request.operationName ?? undefined,
            },
            maxComplexity,
          );
          return error ? Promise.reject(error) : Promise.resolve();
        },
      }),
  };
}
