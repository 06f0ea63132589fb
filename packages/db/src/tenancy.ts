import type { PrismaClient } from './generated/prisma/client.js';

/**
 * Tenancy, enforced in one place. Services never receive the raw client for tenant data: they get
 * `forTenant(prisma, organizationId)`, a client whose every operation on a tenant-owned model is
 * confined to that organization (reads, updates and deletes get `organizationId` in their filter;
 * creates get it set). An id of another organization therefore finds nothing: NOT_FOUND, never
 * its data. Relations cannot cross either: the schema's composite foreign keys tie every child to
 * its parent's organization.
 */
export const TENANT_MODELS = new Set([
  'Membership',
  'ApiKey',
  'Project',
  'ProductModel',
  'Dataset',
  'DatasetImage',
  'DatasetSnapshot',
  'DatasetSnapshotImage',
  'ModelVersion',
  'TrainingJob',
  'Threshold',
  'Inspection',
  'Review',
  'Webhook',
  'WebhookDelivery',
  'AuditEvent',
]);

const FILTERED = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
]);

type Args = { where?: Record<string, unknown>; data?: unknown; create?: Record<string, unknown> };

export function forTenant(prisma: PrismaClient, organizationId: string): PrismaClient {
  // A query extension changes no types: the result is used as a plain client.
  const extended = prisma.$extends({
    name: `tenant:${organizationId}`,
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (!TENANT_MODELS.has(model)) return query(args);
          const a = (args ?? {}) as Args;
          if (FILTERED.has(operation)) {
            a.where = { ...(a.where ?? {}), organizationId };
          } else if (operation === 'create') {
            a.data = { ...(a.data as Record<string, unknown>), organizationId };
          } else if (operation === 'createMany' || operation === 'createManyAndReturn') {
            const rows = Array.isArray(a.data) ? a.data : [a.data];
            a.data = rows.map((r: Record<string, unknown>) => ({ ...r, organizationId }));
          } else if (operation === 'upsert') {
            a.where = { ...(a.where ?? {}), organizationId };
            a.create = { ...(a.create ?? {}), organizationId };
          }
          return query(a as typeof args);
        },
      },
    },
  });
  return extended as unknown as PrismaClient;
}
