import { nulGuardPlugin } from './common/nul-guard.js';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLPassthroughFilter } from './common/graphql-exception.filter.js';
import { GraphQLModule } from '@nestjs/graphql';
import { fileURLToPath } from 'node:url';
import { formatGraphQLError } from './common/errors.js';
import { depthLimit } from './common/depth-limit.js';
import { complexityLimit } from './common/complexity.js';
import { LoadersModule } from './common/loaders.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { HealthModule } from './health/health.module.js';
import { StatusResolver } from './health/health.resolver.js';
import type { ReadinessCheck } from './health/readiness.js';
import type { Database } from '@padim/db';
import { bearerToken, type GqlContext } from './auth/actor.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { DatabaseModule } from './database/database.module.js';
import { ProjectsModule } from './projects/projects.module.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { MembersModule } from './members/members.module.js';
import { ProductModelsModule } from './product-models/product-models.module.js';
import type { Request } from 'express';
import type { ObjectStore } from '@padim/storage';
import { StorageModule } from './storage/storage.module.js';
import { objectStoreReadiness } from './storage/object-store.factory.js';
import { DatasetsModule } from './datasets/datasets.module.js';
import { AuditLogModule } from './audit/audit-log.module.js';
import { InspectionsModule } from './inspections/inspections.module.js';
import { ModelVersionsModule } from './model-versions/model-versions.module.js';
import { ThresholdsModule } from './thresholds/thresholds.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import type { EventBus, JobQueue } from '@padim/queue';
import { PipelineModule } from './pipeline/pipeline.module.js';
import type { EmbeddedWorkerMode } from './pipeline/pipeline.tokens.js';
import { EventsModule } from './events/events.module.js';
import { GraphqlWsOptions, type SocketContext } from './events/graphql-ws.options.js';
import { httpSubscriptionsPlugin } from './events/http-subscriptions.plugin.js';

/** apps/api/schema.gql: generated from the code-first types, committed, checked fresh by a test. */
export const SCHEMA_FILE = fileURLToPath(new URL('../schema.gql', import.meta.url));

export interface AppOptions {
  readonly config: AppConfig;
  readonly database: Database;
  readonly readiness?: ReadinessCheck[];
  /** The object store; createApp opens the configured one when absent (tests inject an S3 one). */
  readonly objectStore?: ObjectStore;
  /** The event bus; createApp opens the configured one when absent. The app closes it on shutdown. */
  readonly eventBus?: EventBus;
  /** The job queue; createApp opens the configured one (BullMQ with REDIS_URL, else in-process). The app closes it. */
  readonly queue?: JobQueue;
  /** Whether this process runs the worker: 'auto' follows WORKER_EMBEDDED. */
  readonly worker?: EmbeddedWorkerMode;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    const { config, objectStore, eventBus } = options;
    if (!objectStore)
      throw new Error('AppModule.forRoot needs an objectStore (createApp opens one)');
    if (!eventBus) throw new Error('AppModule.forRoot needs an eventBus (createApp opens one)');
    if (!options.queue) throw new Error('AppModule.forRoot needs a queue (createApp opens one)');
    return {
      module: AppModule,
      global: true,
      imports: [
        // Async only to inject GraphqlWsOptions (EventsModule, global): subscriptions over graphql-ws.
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [GraphqlWsOptions],
          useFactory: (ws: GraphqlWsOptions): ApolloDriverConfig => ({
            // In memory: schema.gql is written by `npm run schema` (src/write-schema.ts) and checked by a test.
            autoSchemaFile: true,
            sortSchema: true,
            introspection: config.GRAPHQL_INTROSPECTION,
            playground: false,
            validationRules: [depthLimit(config.GRAPHQL_MAX_DEPTH)],
            plugins: [
              nulGuardPlugin,
              complexityLimit(config.GRAPHQL_MAX_COMPLEXITY),
              httpSubscriptionsPlugin,
            ],
            formatError: formatGraphQLError,
            // HTTP requests ({ req }) and graphql-ws operations (a socket context, with `extra`).
            context: (ctx: { req: Request } | SocketContext): GqlContext =>
              'extra' in ctx ? ws.context(ctx) : { req: ctx.req, token: bearerToken(ctx.req) },
            subscriptions: { 'graphql-ws': ws.serverOptions() },
            transformSchema: (schema) => ws.useSchema(schema),
          }),
        }),
        EventsModule.forRoot(eventBus),
        DatabaseModule.forRoot(options.database),
        HealthModule.forRoot([
          {
            name: 'database',
            check: async () => void (await options.database.prisma.$queryRaw`SELECT 1`),
          },
          objectStoreReadiness(objectStore),
          ...(options.readiness ?? []),
        ]),
        StorageModule.forRoot(objectStore),
        AuditModule,
        AuthModule,
        ProjectsModule,
        OrganizationsModule,
        MembersModule,
        ProductModelsModule,
        DatasetsModule,
        LoadersModule,
        ModelVersionsModule,
        ThresholdsModule,
        InspectionsModule,
        WebhooksModule,
        AuditLogModule,
        PipelineModule.forRoot(options.queue, options.worker),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: GraphQLPassthroughFilter },
        StatusResolver,
      ],
      exports: [APP_CONFIG],
    };
  }
}
