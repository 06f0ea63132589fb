'use client';
import { FormError } from '@/components/FormError';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModelTrainingJobFieldsFragment } from '@/gql/graphql';
import { errorMessage, mutate, request } from '@/lib/client';
import { formatDateTime, formatDuration, formatPercent } from './format';
import { newIdempotencyKey } from './idempotency';
import styles from './models.module.css';
import { ModelAbsorbMutation, ModelCancelJobMutation, ModelTrainingJobsQuery } from './operations';
import { TrainForm } from './TrainForm';

type Job = ModelTrainingJobFieldsFragment;

/** One `data:` line of /api/events?stream=training (the API's TrainingProgress). */
interface TrainingProgressEvent {
  readonly trainingJobId: string;
  readonly modelVersionId: string;
  readonly productModelId: string;
  readonly status: string;
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly progress: number;
  readonly etaSeconds: number | null;
  readonly error: string | null;
}

const PHASES: Record<string, string> = {
  QUEUED: 'Queued',
  LOADING: 'Loading images and backbone',
  FITTING: 'Fitting the Gaussians',
  CALIBRATING: 'Calibrating the threshold',
  SAVING: 'Saving',
  DONE: 'Done',
};
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export interface TrainingPanelProps {
  readonly productModelId: string;
  readonly datasets: readonly { id: string; name: string }[];
  readonly jobs: readonly Job[];
  readonly canManage: boolean;
  /** The active version, which reviewed false positives are folded into. */
  readonly activeVersion: { readonly id: string; readonly version: number } | null;
  /** Reviewed false positives not yet folded in (of the newest reviewed), when known. */
  readonly pendingFalsePositives: number | null;
}

/**
 * Training of one product model: the train form, the job list with live progress from the
 * training stream (SSE), cancel, and folding reviewed false positives into the active version.
 * The page's server data is refreshed when a job changes phase or a version becomes ready.
 */
export function TrainingPanel(props: TrainingPanelProps) {
  const { productModelId, canManage } = props;
  const router = useRouter();
  const [jobs, setJobs] = useState<readonly Job[]>(props.jobs);
  const [seenJobs, setSeenJobs] = useState(props.jobs);
  const [live, setLive] = useState<Record<string, TrainingProgressEvent>>({});
  const [connection, setConnection] = useState<'connecting' | 'live' | 'retrying'>('connecting');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [absorbKey, setAbsorbKey] = useState(() => newIdempotencyKey('absorb'));
  const lastPhase = useRef<Record<string, string>>({});

  // New server data (router.refresh) replaces the list.
  if (props.jobs !== seenJobs) {
    setSeenJobs(props.jobs);
    setJobs(props.jobs);
  }

  const reloadJobs = useCallback(async () => {
    try {
      const r = await request(ModelTrainingJobsQuery, { productModelId });
      setJobs(r.trainingJobs.edges.map((e) => e.node));
    } catch {
      // the list stays as it was; the next event tries again
    }
  }, [productModelId]);

  useEffect(() => {
    const q = `productModelId=${encodeURIComponent(productModelId)}`;
    const training = new EventSource(`/api/events?stream=training&${q}`);
    const ready = new EventSource(`/api/events?stream=ready&${q}`);
    training.onopen = () => setConnection('live');
    training.onerror = () => setConnection('retrying');
    training.onmessage = (message: MessageEvent<string>) => {
      let event: TrainingProgressEvent;
      try {
        event = JSON.parse(message.data) as TrainingProgressEvent;
      } catch {
        return;
      }
      setLive((all) => ({ ...all, [event.trainingJobId]: event }));
      const key = `${event.phase}/${event.status}`;
      if (lastPhase.current[event.trainingJobId] !== key) {
        lastPhase.current[event.trainingJobId] = key;
        // A phase or status change moves the version's status too: refresh the server data.
        void reloadJobs();
        router.refresh();
      }
      if (TERMINAL.has(event.status)) void reloadJobs();
    };
    ready.onmessage = () => {
      void reloadJobs();
      router.refresh();
    };
    return () => {
      training.close();
      ready.close();
    };
  }, [productModelId, reloadJobs, router]);

  function started(job: Job, what: string) {
    setJobs((list) => [job, ...list.filter((j) => j.id !== job.id)]);
    setNotice(`${what}: job for version ${job.modelVersion?.version ?? '?'} queued.`);
    router.refresh();
  }

  async function cancel(job: Job) {
    setBusy(job.id);
    setError(null);
    try {
      const r = await mutate(ModelCancelJobMutation, { id: job.id });
      setJobs((list) => list.map((j) => (j.id === job.id ? r.cancelTrainingJob : j)));
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  async function absorb() {
    if (!props.activeVersion) return;
    setBusy('absorb');
    setError(null);
    try {
      const r = await mutate(ModelAbsorbMutation, {
        modelVersionId: props.activeVersion.id,
        idempotencyKey: absorbKey,
      });
      setAbsorbKey(newIdempotencyKey('absorb'));
      started(r.absorbFalsePositives, 'Folding reviewed false positives');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className={styles.two}>
      <section className="card" aria-labelledby="train-title">
        <h3 id="train-title">Train a new version</h3>
        {canManage ? (
          <TrainForm
            productModelId={productModelId}
            datasets={props.datasets}
            onStarted={(job) => started(job, 'Training started')}
          />
        ) : (
          <p className="muted">Training needs the engineer role or above.</p>
        )}
      </section>
      <section className="card" aria-labelledby="jobs-title">
        <div className="spread">
          <h3 id="jobs-title">Training jobs</h3>
          <span className="muted" aria-live="polite">
            {connection === 'live'
              ? 'Live'
              : connection === 'retrying'
                ? 'Live updates reconnecting…'
                : 'Connecting…'}
          </span>
        </div>
        {notice && <p role="status">{notice}</p>}
        <FormError error={error} />
        {jobs.length === 0 ? (
          <p className="muted">No training jobs yet.</p>
        ) : (
          <ul className={styles.jobs} aria-label="Training jobs, newest first">
            {jobs.map((job) => (
              <JobItem
                key={job.id}
                job={job}
                event={live[job.id]}
                canCancel={canManage}
                busy={busy === job.id}
                onCancel={() => void cancel(job)}
              />
            ))}
          </ul>
        )}
        <h3>Reviewed false positives</h3>
        {props.activeVersion ? (
          <>
            <p className="muted">
              Good parts that were flagged and reviewed as GOOD can be folded into the statistics of
              the active version (v{props.activeVersion.version}) without re-reading the training
              images: a new version is made and becomes active.
              {props.pendingFalsePositives !== null &&
                ` ${props.pendingFalsePositives} reviewed false positive${
                  props.pendingFalsePositives === 1 ? ' is' : 's are'
                } waiting.`}
            </p>
            {canManage && (
              <button type="button" onClick={absorb} disabled={busy === 'absorb'}>
                {busy === 'absorb' ? 'Starting…' : 'Fold reviewed false positives'}
              </button>
            )}
          </>
        ) : (
          <p className="muted">Available once a version is active.</p>
        )}
      </section>
    </div>
  );
}

function JobItem({
  job,
  event,
  canCancel,
  busy,
  onCancel,
}: {
  job: Job;
  event: TrainingProgressEvent | undefined;
  canCancel: boolean;
  busy: boolean;
  onCancel: () => void;
}) {
  // The row is the truth once it has ended; before that the stream is newer than the row.
  const status = TERMINAL.has(job.status) ? job.status : (event?.status ?? job.status);
  const progress = TERMINAL.has(job.status) ? job.progress : (event?.progress ?? job.progress);
  const running = status === 'QUEUED' || status === 'RUNNING';
  const phase = event ? (PHASES[event.phase] ?? event.phase) : null;
  const error = job.error ?? event?.error;
  const label = `Version ${job.modelVersion?.version ?? '?'} ${job.kind === 'INCREMENTAL' ? 'fold' : 'training'}`;
  return (
    <li className={styles.job} data-job-id={job.id}>
      <div className={styles.jobLine}>
        <strong>v{job.modelVersion?.version ?? '?'}</strong>
        <span className="muted">{job.kind === 'INCREMENTAL' ? 'fold-in' : 'full fit'}</span>
        <span className={`badge ${status}`}>{status}</span>
        <span className="grow muted">{formatDateTime(job.createdAt)}</span>
        {running && canCancel && (
          <button type="button" className="danger" onClick={onCancel} disabled={busy}>
            {busy ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
      {running && (
        <>
          <div
            className="progress"
            role="progressbar"
            aria-label={`${label} progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
          >
            <span style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
          <div className={styles.jobLine}>
            <span data-testid="training-phase">{phase ?? 'Waiting for the worker'}</span>
            {event && event.total > 0 && (
              <span>
                {event.done} / {event.total} images
              </span>
            )}
            <span>{formatPercent(progress, 0)}</span>
            {event?.etaSeconds != null && (
              <span>about {formatDuration(event.etaSeconds)} left</span>
            )}
          </div>
        </>
      )}
      {status === 'SUCCEEDED' && job.finishedAt && (
        <p className="muted" style={{ margin: '0.25rem 0 0' }}>
          Finished {formatDateTime(job.finishedAt)}
        </p>
      )}
      {error && (
        <p className="error" style={{ margin: '0.25rem 0 0' }}>
          {error}
        </p>
      )}
    </li>
  );
}
