import type { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLError } from 'graphql';

/** The plugin type as Nest's Apollo driver declares it (its CommonJS view of @apollo/server). */
type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/**
 * Apollo would run a subscription sent over HTTP as a query, with no event to resolve: refused up
 * front as a client error (BAD_REQUEST, HTTP 400). Subscriptions run over graphql-ws.
 */
export const httpSubscriptionsPlugin: ApolloPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription') {
          throw new GraphQLError(
            'subscriptions run over WebSocket (graphql-ws, graphql-transport-ws) on this path',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        }
      },
    };
  },
};
