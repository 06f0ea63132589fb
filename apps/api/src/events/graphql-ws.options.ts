import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from 'graphql';
import type { Context, ServerOptions, SubscribePayload } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { GqlContext } from '../auth/actor.js';
import { AuthException } from '../auth/auth.exception.js';
import { AuthService } from '../auth/auth.service.js';
import { complexityError } from '../common/complexity.js';
import { depthLimit } from '../common/depth-limit.js';
import { formatGraphQLError } from '../common/errors.js';
import { badTextError } from '../common/nul-guard.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** A graphql-ws connection, as its hooks and the GraphQL `context` function receive it. */
export type SocketContext = Context;

/** Operations one socket may run at once (each holds a bus subscription and a queue). */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 50;

/**
 * The bearer token of a `connection_init`: `{ authorization: 'Bearer <token>' }` (what an HTTP
 * client sends as a header) or `{ token: '<token>' }`. Browsers cannot set headers on a WebSocket.
 */
export function connectionToken(
  params: Readonly<Record<string, unknown>> | undefined,
): string | null {
  const authorization = params?.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer '))
    return authorization.slice(7).trim() || null;
  const token = params?.token;
  return typeof token === 'string' && token.length > 0 ? token : null;
}

/** A graphql-js error with the code Apollo would give it over HTTP. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}

/**
 * graphql-ws on the API's HTTP server and path (/graphql). The socket authenticates once, in
 * `connection_init`: no valid token closes it with 4403 Forbidden, as the protocol recommends.
 * Each subscription then runs through AuthGuard like a query, which resolves the token again: a
 * session revoked or expired since the connect cannot start new subscriptions (UNAUTHENTICATED).
 * Apollo's validation rules and plugins do not run here, so the depth, complexity and text
 * limits are applied in `onSubscribe`, and errors are formatted by the same `formatGraphQLError`.
 */
@Injectable()
export class GraphqlWsOptions {
  private readonly logger = new Logger('GraphQL-WS');
  /** The token each accepted connection authenticated with. */
  private readonly tokens = new WeakMap<SocketContext, string>();
  private schema: GraphQLSchema | undefined;

  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** GraphQLModule `transformSchema`: keeps the built schema for `onSubscribe`'s validation. */
  useSchema(schema: GraphQLSchema): GraphQLSchema {
    this.schema = schema;
    return schema;
  }

  /** GraphQLModule `subscriptions['graphql-ws']`. */
  serverOptions(): GraphQLWsSubscriptionsConfig {
    const options: Partial<ServerOptions> = {
      onConnect: (ctx) => this.connect(ctx),
      onSubscribe: (ctx, _id, payload) => this.prepare(ctx, payload),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((e) => formatGraphQLError(e.toJSON(), e)) }
          : undefined,
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((e) => formatGraphQLError(e.toJSON(), e)),
    };
    return options;
  }

  /**
   * The GraphQL context of one operation on a socket: the connection's token and a fresh request
   * object per operation (AuthGuard puts the actor on it; per-request loaders key on it), which
   * reads through to the upgrade request. It has no Express methods.
   */
  context(ctx: SocketContext): GqlContext {
    const { request } = ctx.extra as Extra;
    return {
      req: Object.create(request) as GqlContext['req'],
      token: this.tokens.get(ctx) ?? null,
    };
  }

  private async connect(ctx: SocketContext): Promise<boolean> {
    const token = connectionToken(ctx.connectionParams);
    if (!token) return false;
    try {
      await this.auth.resolveToken(token);
    } catch (error) {
      if (error instanceof AuthException) return false;
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      // Closes the socket with 4500 and this reason, not the database's message.
      throw new Error('Internal server error', { cause: error });
    }
    this.tokens.set(ctx, token);
    return true;
  }

  /** Parses and validates one operation as Apollo would over HTTP, plus socket-only limits. */
  private prepare(ctx: SocketContext, payload: SubscribePayload): ExecutionArgs | GraphQLError[] {
    const schema = this.schema;
    if (!schema) throw new Error('the GraphQL schema is not built yet');
    // ctx.subscriptions already holds this operation.
    if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_SOCKET) {
      return [
        new GraphQLError(`at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} operations per connection`, {
          extensions: { code: 'BAD_REQUEST' },
        }),
      ];
    }
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (error) {
      if (error instanceof GraphQLError) return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
      throw error;
    }
    const invalid = validate(schema, document, [
      ...specifiedRules,
      depthLimit(this.config.GRAPHQL_MAX_DEPTH),
    ]);
    if (invalid.length > 0) return invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
    const operationName = payload.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return [
        new GraphQLError('Unable to identify the operation to run', {
          extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
        }),
      ];
    }
    if (operation.operation !== 'subscription') {
      return [
        new GraphQLError(
          'only subscriptions run over WebSocket: send queries and mutations over HTTP',
          {
            extensions: { code: 'BAD_REQUEST' },
          },
        ),
      ];
    }
    const variables = payload.variables ?? {};
    const rejected =
      complexityError(
        { schema, document, variables, operationName },
        this.config.GRAPHQL_MAX_COMPLEXITY,
      ) ?? badTextError(variables, document);
    if (rejected) return [rejected];
    return { schema, document, operationName, variableValues: variables };
  }
}
