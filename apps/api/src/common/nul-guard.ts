import type { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';

/** An unpaired UTF-16 surrogate (what String.prototype.isWellFormed rejects; ES2024). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badText(value: string): boolean {
  return value.includes('\u0000') || LONE_SURROGATE.test(value);
}

function hasNul(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  if (typeof value === 'string') return badText(value);
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  if (value && typeof value === 'object')
    return Object.values(value).some((v) => hasNul(v, depth + 1));
  return false;
}

function documentHasNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (badText(node.value)) found = true;
    },
  });
  return found;
}

/** The plugin type as Nest's Apollo driver declares it (its CommonJS view of @apollo/server). */
type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/**
 * PostgreSQL cannot store text containing NUL, nor JSON containing an unpaired UTF-16 surrogate;
 * such a string in any argument or variable would surface as a database error. The error that
 * rejects it up front (BAD_USER_INPUT), or undefined.
 */
export function badTextError(variables: unknown, document: DocumentNode): GraphQLError | undefined {
  if (!hasNul(variables) && !documentHasNul(document)) return undefined;
  return new GraphQLError('text arguments may not contain NUL characters or unpaired surrogates', {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

/**
 * `badTextError` as an Apollo plugin. (Subscriptions over graphql-ws bypass Apollo:
 * events/graphql-ws.options.ts applies the same check.)
 */
export const nulGuardPlugin: ApolloPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({
        request,
        document,
      }: {
        request: { variables?: unknown };
        document: DocumentNode;
      }) {
        const error = badTextError(request.variables, document);
        if (error) throw error;
      },
    };
  },
};
