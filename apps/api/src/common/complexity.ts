import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { ComplexityEstimatorArgs } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
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
 * An Apollo plugin that rejects an operation whose estimated cost exceeds `maxComplexity` before
 * it runs (fields cost 1 unless their `complexity` extension says otherwise). Answered as a client
 * error (GRAPHQL_VALIDATION_FAILED, HTTP 400), like the depth limit.
 */
export function complexityLimit(maxComplexity: number): ApolloPlugin {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation({ schema, document, request }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              operationName: request.operationName ?? undefined,
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            // Bad variables: execution answers them with its own client error.
            return Promise.resolve();
          }
          if (complexity > maxComplexity) {
            return Promise.reject(
              new GraphQLError(
                `the query's complexity is ${complexity}; the limit is ${maxComplexity}`,
                { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } },
              ),
            );
          }
          return Promise.resolve();
        },
      }),
  };
}
