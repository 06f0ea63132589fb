/** Training progress: throttled events on the bus and the job row's progress column. */
import { TrainingJobStatus, forTenant, type ModelVersion, type TrainingJob } from '@padim/db';
import type { TrainingPhase } from '@padim/queue';
import { errorText, publish, type WorkerDeps } from '../context.js';

/** Progress is written to the job row at most this often (events go out more often). */
const DB_PROGRESS_INTERVAL_MS = 1000;
const EVENT_PROGRESS_INTERVAL_MS = 200;

const PHASE_SPAN: Record<TrainingPhase, [number, number]> = {
  queued: [0, 0],
  loading: [0, 0.02],
  fitting: [0.02, 0.85],
  calibrating: [0.85, 0.95],
  saving: [0.95, 0.99],
  done: [1, 1],
};

/** Publishes progress events (throttled) and writes the job row's progress (more throttled). */
export class ProgressReporter {
  private lastDb = 0;
  private lastEvent = 0;
  private fitStart = 0;
  private fitStartDone = 0;
  private lastPhase: TrainingPhase | undefined;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly job: TrainingJob,
    private readonly version: ModelVersion,
  ) {}

  async report(
    phase: TrainingPhase,
    done: number,
    total: number,
    options: { force?: boolean; status?: TrainingJobStatus; error?: string | null } = {},
  ): Promise<void> {
    const [lo, hi] = PHASE_SPAN[phase];
    const progress = total > 0 ? lo + ((hi - lo) * Math.min(done, total)) / total : lo;
    const now = Date.now();
    let eta: number | null = null;
    if (phase === 'fitting') {
      if (this.fitStart === 0) {
        this.fitStart = now;
        this.fitStartDone = done;
      } else if (done > this.fitStartDone) {
        const rate = (done - this.fitStartDone) / (now - this.fitStart);
        // The rest of the fit, plus calibration and saving at the fit's pace (a rough share).
        eta = Math.round(
          ((total - done) / rate + ((now - this.fitStart) / done) * 0.2 * total) / 1000,
        );
      }
    }
    const status = options.status ?? TrainingJobStatus.RUNNING;
    if (options.force || now - this.lastDb >= DB_PROGRESS_INTERVAL_MS) {
      this.lastDb = now;
      // Progress is advisory: a failed write is logged, never fatal (report runs unawaited).
      await forTenant(this.deps.prisma, this.job.organizationId)
        .trainingJob.updateMany({
          where: { id: this.job.id, status: TrainingJobStatus.RUNNING },
          data: { progress },
        })
        .catch((error: unknown) => this.deps.log?.(`progress write failed: ${errorText(error)}`));
    }
    // The first report of each phase always goes out; then at most one per interval.
    if (
      options.force ||
      phase !== this.lastPhase ||
      now - this.lastEvent >= EVENT_PROGRESS_INTERVAL_MS
    ) {
      this.lastEvent = now;
      this.lastPhase = phase;
      await publish(this.deps, {
        type: 'training.progress',
        organizationId: this.job.organizationId,
        productModelId: this.version.productModelId,
        modelVersionId: this.version.id,
        trainingJobId: this.job.id,
        status,
        phase,
        done,
        total,
        progress,
        etaSeconds: eta,
        error: options.error ?? null,
      });
    }
  }
}

/** The last progress event of a job: it ended SUCCEEDED, FAILED or CANCELLED. */
export async function publishTrainingEnd(
  deps: WorkerDeps,
  job: TrainingJob,
  version: ModelVersion,
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED',
  error: string | null = null,
): Promise<void> {
  const done = status === 'SUCCEEDED' ? 1 : 0;
  await publish(deps, {
    type: 'training.progress',
    organizationId: job.organizationId,
    productModelId: version.productModelId,
    modelVersionId: version.id,
    trainingJobId: job.id,
    status,
    phase: 'done',
    done,
    total: done,
    progress: 1,
    etaSeconds: 0,
    error,
  });
}
