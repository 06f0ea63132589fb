/**
 * The training job's state machine, used by the API (cancel), the worker (claim, commit, failure)
 * and the sweeper (lost workers). Every status change is a guarded update whose `where` allows only
 * the legal predecessors, so two processes racing on one row cannot both move it, and an ended job
 * is never revived.
 *
 *   QUEUED --claim--> RUNNING --commit--> SUCCEEDED
 *     |                 | ^ (a retried attempt claims again)
 *     +--> CANCELLED <--+-+
 *     +--> FAILED    <--+
 */
import { ModelVersionStatus, TrainingJobStatus, type Prisma, type PrismaClient } from '@padim/db';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from './audit.js';

export const TRAINING_JOB_TRANSITIONS: Readonly<
  Record<TrainingJobStatus, readonly TrainingJobStatus[]>
> = {
  [TrainingJobStatus.QUEUED]: [
    TrainingJobStatus.RUNNING,
    TrainingJobStatus.CANCELLED,
    TrainingJobStatus.FAILED,
  ],
  [TrainingJobStatus.RUNNING]: [
    TrainingJobStatus.RUNNING,
    TrainingJobStatus.SUCCEEDED,
    TrainingJobStatus.CANCELLED,
    TrainingJobStatus.FAILED,
  ],
  [TrainingJobStatus.SUCCEEDED]: [],
  [TrainingJobStatus.CANCELLED]: [],
  [TrainingJobStatus.FAILED]: [],
};

export function canTransition(from: TrainingJobStatus, to: TrainingJobStatus): boolean {
  return TRAINING_JOB_TRANSITIONS[from].includes(to);
}

/** The statuses from which `to` may be reached. */
export function predecessors(to: TrainingJobStatus): TrainingJobStatus[] {
  return (Object.keys(TRAINING_JOB_TRANSITIONS) as TrainingJobStatus[]).filter((from) =>
    canTransition(from, to),
  );
}

/** A job that has not ended: a worker may still run it. */
export function isTrainingJobOpen(status: TrainingJobStatus): boolean {
  return TRAINING_JOB_TRANSITIONS[status].length > 0;
}

/** Version statuses of a version still being trained (it may still become READY or FAILED). */
export const VERSION_IN_TRAINING: readonly ModelVersionStatus[] = [
  ModelVersionStatus.DRAFT,
  ModelVersionStatus.QUEUED,
  ModelVersionStatus.TRAINING,
  ModelVersionStatus.CALIBRATING,
];

type Db = Pick<PrismaClient, 'trainingJob'>;

/**
 * Moves the job to `to` when its status allows it (and `where` holds); false when it did not move
 * (someone else moved it first, or the move is illegal from where it is).
 */
export async function transitionTrainingJob(
  db: Db,
  id: string,
  to: TrainingJobStatus,
  data: Omit<Prisma.TrainingJobUpdateManyMutationInput, 'status'> = {},
  options: {
    readonly from?: readonly TrainingJobStatus[];
    readonly where?: Prisma.TrainingJobWhereInput;
  } = {},
): Promise<boolean> {
  const allowed = predecessors(to).filter((s) => !options.from || options.from.includes(s));
  const moved = await db.trainingJob.updateMany({
    where: { ...(options.where ?? {}), id, status: { in: allowed } },
    data: { ...data, status: to },
  });
  return moved.count > 0;
}

export interface EndTrainingJob {
  readonly status: typeof TrainingJobStatus.FAILED | typeof TrainingJobStatus.CANCELLED;
  readonly error: string;
  /** The attempt that ended it (the worker), when known. */
  readonly attempts?: number;
  /** Only from these statuses (e.g. QUEUED when a worker holds the RUNNING job and ends it itself). */
  readonly from?: readonly TrainingJobStatus[];
  /** Who ended it; default the system. */
  readonly actor?: AuditActor;
}

/**
 * Ends a job without a model, FAILED or CANCELLED: its version becomes FAILED if it was still in
 * training, and an audit event ('training.failed' / 'training.cancelled') is written. Call inside
 * the transaction of whatever else goes with it. False when the job had already ended (nothing
 * written).
 */
export async function endTrainingJob(
  tx: Pick<PrismaClient, 'trainingJob' | 'modelVersion' | 'auditEvent' | 'apiKey' | 'user'>,
  job: { readonly id: string; readonly organizationId: string; readonly modelVersionId: string },
  end: EndTrainingJob,
): Promise<boolean> {
  const ended = await transitionTrainingJob(
    tx,
    job.id,
    end.status,
    {
      error: end.error,
      finishedAt: new Date(),
      ...(end.attempts !== undefined ? { attempts: end.attempts } : {}),
    },
    end.from ? { from: end.from } : {},
  );
  if (!ended) return false;
  await tx.modelVersion.updateMany({
    where: { id: job.modelVersionId, status: { in: [...VERSION_IN_TRAINING] } },
    data: { status: ModelVersionStatus.FAILED },
  });
  await recordAudit(tx, end.actor ?? SYSTEM_ACTOR, {
    organizationId: job.organizationId,
    action: end.status === TrainingJobStatus.FAILED ? 'training.failed' : 'training.cancelled',
    targetType: 'ModelVersion',
    targetId: job.modelVersionId,
    data: {
      trainingJobId: job.id,
      error: end.error,
      ...(end.attempts !== undefined ? { attempts: end.attempts } : {}),
    },
  });
  return true;
}
