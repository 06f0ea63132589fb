/**
 * The platform's shared rules (@padim/jobs): the training-job state machine, payload validation,
 * the permission matrix, version selection and audit writes. The database cases run on a fresh
 * PostgreSQL database, through forTenant as the API and the worker do.
 */
import {
  ActorType,
  ModelVersionStatus,
  TrainingJobStatus,
  forTenant,
  type PrismaClient,
} from '@padim/db';
import { freshPostgres, type FreshPostgres } from '@padim/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MalformedPayloadError,
  Permission,
  ROLE_PERMISSIONS,
  Role,
  SYSTEM_ACTOR,
  SYSTEM_ACTOR_LABEL,
  TRAINING_JOB_TRANSITIONS,
  VersionSelectionErrorCode,
  can,
  canTransition,
  endTrainingJob,
  isTrainingJobOpen,
  parseInspectionPayload,
  parseTrainingPayload,
  parseWebhookPayload,
  predecessors,
  recordAudit,
  selectScoringVersion,
  transitionTrainingJob,
} from '../src/index.js';

const S = TrainingJobStatus;

describe('the training-job state machine', () => {
  it('ends are final: nothing follows SUCCEEDED, FAILED or CANCELLED', () => {
    for (const end of [S.SUCCEEDED, S.FAILED, S.CANCELLED]) {
      expect(TRAINING_JOB_TRANSITIONS[end]).toEqual([]);
      expect(isTrainingJobOpen(end)).toBe(false);
      for (const to of Object.values(S)) expect(canTransition(end, to)).toBe(false);
    }
    expect(isTrainingJobOpen(S.QUEUED)).toBe(true);
    expect(isTrainingJobOpen(S.RUNNING)).toBe(true);
  });

  it('only a running job succeeds; queued and running jobs may fail or be cancelled', () => {
    expect(predecessors(S.SUCCEEDED)).toEqual([S.RUNNING]);
    expect(canTransition(S.QUEUED, S.SUCCEEDED)).toBe(false);
    expect(predecessors(S.CANCELLED).sort()).toEqual([S.QUEUED, S.RUNNING].sort());
    expect(predecessors(S.FAILED).sort()).toEqual([S.QUEUED, S.RUNNING].sort());
    // A retried attempt claims its RUNNING job again; nothing goes back to QUEUED.
    expect(predecessors(S.RUNNING).sort()).toEqual([S.QUEUED, S.RUNNING].sort());
    expect(predecessors(S.QUEUED)).toEqual([]);
  });
});

describe('job payloads', () => {
  it('accepts well-formed payloads and names every bad field of a malformed one', () => {
    const ids = { organizationId: '0191a2b3-c4d5-7e6f-8a9b-0c1d2e3f4a5b', trainingJobId: 'abc_1' };
    expect(parseTrainingPayload(ids)).toEqual(ids);
    expect(parseInspectionPayload({ organizationId: 'o1', inspectionId: 'i1' })).toEqual({
      organizationId: 'o1',
      inspectionId: 'i1',
    });
    expect(() => parseTrainingPayload({ organizationId: 'o1' })).toThrow(
      /malformed training job payload: trainingJobId/,
    );
    expect(() => parseInspectionPayload({ organizationId: 42, inspectionId: "x'; drop" })).toThrow(
      /organizationId: .*; inspectionId: not an id/,
    );
    expect(() => parseWebhookPayload(null)).toThrow(MalformedPayloadError);
    expect(() => parseWebhookPayload('delivery-1')).toThrow(/malformed webhook job payload/);
  });
});

describe('the permission matrix', () => {
  it('lets INSPECTOR and above inspect, never VIEWER; roles only add permissions going up', () => {
    expect(can(Role.VIEWER, Permission.INSPECT)).toBe(false);
    for (const role of [Role.INSPECTOR, Role.ENGINEER, Role.ADMIN, Role.OWNER])
      expect(can(role, Permission.INSPECT), role).toBe(true);
    const order = [Role.VIEWER, Role.INSPECTOR, Role.ENGINEER, Role.ADMIN, Role.OWNER];
    for (let i = 1; i < order.length; i++)
      for (const p of ROLE_PERMISSIONS[order[i - 1]!])
        expect(ROLE_PERMISSIONS[order[i]!].has(p), `${order[i]} ${p}`).toBe(true);
  });
});

describe('rules on the database', () => {
  let pg: FreshPostgres;
  let prisma: PrismaClient;
  let org = '';
  let other = '';
  let pm = '';
  let foreignPm = '';

  async function version(
    organizationId: string,
    productModelId: string,
    n: number,
    status: ModelVersionStatus,
  ): Promise<string> {
    const v = await prisma.modelVersion.create({
      data: {
        organizationId,
        productModelId,
        version: n,
        status,
        backbone: 'resnet18',
        layers: ['layer1', 'layer2', 'layer3'],
        d: 10,
        seed: 0,
        imageSize: 224,
      },
    });
    return v.id;
  }

  async function job(status: TrainingJobStatus, versionStatus: ModelVersionStatus) {
    const modelVersionId = await version(org, pm, Math.floor(Math.random() * 1e9), versionStatus);
    return prisma.trainingJob.create({
      data: {
        organizationId: org,
        modelVersionId,
        status,
        idempotencyKey: `k-${modelVersionId}`,
      },
    });
  }

  beforeAll(async () => {
    pg = await freshPostgres('padim_rules');
    prisma = pg.database.prisma;
    for (const [name, slug] of [
      ['Rules', 'rules'],
      ['Other', 'other'],
    ] as const) {
      const o = await prisma.organization.create({ data: { name, slug } });
      const project = await prisma.project.create({
        data: { organizationId: o.id, name: 'line' },
      });
      const p = await prisma.productModel.create({
        data: { organizationId: o.id, projectId: project.id, name: 'gear' },
      });
      if (slug === 'rules') [org, pm] = [o.id, p.id];
      else [other, foreignPm] = [o.id, p.id];
    }
  });

  afterAll(async () => {
    await pg?.drop();
  });

  it('ends a queued job once: the version fails, and one system audit event is written', async () => {
    const row = await job(S.QUEUED, ModelVersionStatus.QUEUED);
    const db = forTenant(prisma, org);
    const end = { status: S.CANCELLED, error: 'cancelled' } as const;
    expect(await db.$transaction((tx) => endTrainingJob(tx, row, end))).toBe(true);
    expect(await db.$transaction((tx) => endTrainingJob(tx, row, end))).toBe(false);
    const after = await db.trainingJob.findFirstOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ status: S.CANCELLED, error: 'cancelled' });
    expect(after.finishedAt).toBeInstanceOf(Date);
    const v = await db.modelVersion.findFirstOrThrow({ where: { id: row.modelVersionId } });
    expect(v.status).toBe(ModelVersionStatus.FAILED);
    const events = await db.auditEvent.findMany({ where: { targetId: row.modelVersionId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'training.cancelled',
      actorType: ActorType.SYSTEM,
      actorLabel: SYSTEM_ACTOR_LABEL,
      actorUserId: null,
    });
  });

  it('never revives an ended job, and `from` limits where a job may end from', async () => {
    const db = forTenant(prisma, org);
    const done = await job(S.SUCCEEDED, ModelVersionStatus.READY);
    expect(await transitionTrainingJob(db, done.id, S.RUNNING)).toBe(false);
    expect(
      await db.$transaction((tx) =>
        endTrainingJob(tx, done, { status: S.FAILED, error: 'late failure' }),
      ),
    ).toBe(false);
    expect(
      await db.modelVersion.findFirstOrThrow({ where: { id: done.modelVersionId } }),
    ).toMatchObject({
      status: ModelVersionStatus.READY,
    });
    // A job a worker is running is not ended by someone allowed to end only queued jobs.
    const running = await job(S.RUNNING, ModelVersionStatus.TRAINING);
    expect(
      await db.$transaction((tx) =>
        endTrainingJob(tx, running, { status: S.CANCELLED, error: 'x', from: [S.QUEUED] }),
      ),
    ).toBe(false);
    expect((await db.trainingJob.findFirstOrThrow({ where: { id: running.id } })).status).toBe(
      S.RUNNING,
    );
    // Another organization's client cannot move it either.
    expect(await transitionTrainingJob(forTenant(prisma, other), running.id, S.FAILED)).toBe(false);
    expect(await transitionTrainingJob(db, running.id, S.SUCCEEDED, { progress: 1 })).toBe(true);
  });

  it('records an audit event with the given actor and a readable label', async () => {
    const user = await prisma.user.create({
      data: { email: 'auditor@rules.test', name: 'Auditor', passwordHash: 'x' },
    });
    const db = forTenant(prisma, org);
    await recordAudit(
      db,
      { kind: 'user', userId: user.id },
      {
        organizationId: org,
        action: 'threshold.set',
        targetType: 'Threshold',
        targetId: 't1',
      },
    );
    await recordAudit(db, SYSTEM_ACTOR, {
      organizationId: org,
      action: 'model_version.ready',
      targetType: 'ModelVersion',
    });
    const rows = await db.auditEvent.findMany({
      where: { action: { in: ['threshold.set', 'model_version.ready'] } },
      orderBy: { action: 'desc' },
    });
    expect(rows.map((r) => [r.action, r.actorType, r.actorLabel])).toEqual([
      ['threshold.set', ActorType.USER, 'auditor@rules.test'],
      ['model_version.ready', ActorType.SYSTEM, 'system'],
    ]);
  });

  it('selects the named or active READY version, through the tenant only', async () => {
    const db = forTenant(prisma, org);
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'OK';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(await code(selectScoringVersion(db, pm))).toBe(
      VersionSelectionErrorCode.NO_ACTIVE_VERSION,
    );
    const ready = await version(org, pm, 1000, ModelVersionStatus.READY);
    const training = await version(org, pm, 1001, ModelVersionStatus.TRAINING);
    await prisma.productModel.update({ where: { id: pm }, data: { activeVersionId: ready } });
    expect(await selectScoringVersion(db, pm)).toEqual({ id: ready, productModelId: pm });
    expect(await code(selectScoringVersion(db, pm, training))).toBe(
      VersionSelectionErrorCode.MODEL_VERSION_NOT_READY,
    );
    const foreign = await version(other, foreignPm, 1, ModelVersionStatus.READY);
    expect(await code(selectScoringVersion(db, pm, foreign))).toBe(
      VersionSelectionErrorCode.MODEL_VERSION_NOT_FOUND,
    );
    expect(await code(selectScoringVersion(db, foreignPm))).toBe(
      VersionSelectionErrorCode.PRODUCT_MODEL_NOT_FOUND,
    );
  });
});
