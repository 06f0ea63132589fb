/**
 * Claiming: a worker takes a training job for one attempt. A job that has ended (or whose version
 * is already READY) is never run again; a job cancelled meanwhile is left alone.
 */
import {
  ModelVersionStatus,
  TrainingJobStatus,
  forTenant,
  type ModelVersion,
  type PrismaClient,
  type TrainingJob,
} from '@padim/db';
import type { TrainingJobPayload } from '@padim/queue';
import type { WorkerDeps } from '../context.js';
import {
  VERSION_IN_TRAINING,
  isTrainingJobOpen,
  transitionTrainingJob,
} from '../rules/training-state.js';

export interface ClaimedJob {
  readonly db: PrismaClient;
  readonly job: TrainingJob;
  readonly version: ModelVersion;
}

export type Claim =
  | ({ readonly claimed: true } & ClaimedJob)
  /** MISSING: no such row; ENDED: it ended, or its version is READY (nothing to do). */
  | {
      readonly claimed: false;
      readonly modelVersionId: string;
      readonly status: string;
    };

/** Reads the job through its tenant and moves it to RUNNING for `attempt` (its version to TRAINING). */
export async function claimJob(
  deps: WorkerDeps,
  payload: TrainingJobPayload,
  attempt: number,
): Promise<Claim> {
  const db = forTenant(deps.prisma, payload.organizationId);
  const job = await db.trainingJob.findFirst({ where: { id: payload.trainingJobId } });
  const version = job
    ? await db.modelVersion.findFirst({ where: { id: job.modelVersionId } })
    : null;
  if (!job || !version) return { claimed: false, modelVersionId: '', status: 'MISSING' };
  // Exactly once: a job that already ended (or whose version is READY) does nothing again.
  if (!isTrainingJobOpen(job.status) || version.status === ModelVersionStatus.READY)
    return { claimed: false, modelVersionId: version.id, status: job.status };
  const claimed = await transitionTrainingJob(db, job.id, TrainingJobStatus.RUNNING, {
    attempts: attempt,
    startedAt: job.startedAt ?? new Date(),
    error: null,
  });
  if (!claimed) return { claimed: false, modelVersionId: version.id, status: 'ENDED' };
  await db.modelVersion.updateMany({
    where: { id: version.id, status: { in: [...VERSION_IN_TRAINING] } },
    data: { status: ModelVersionStatus.TRAINING },
  });
  return { claimed: true, db, job, version };
}
