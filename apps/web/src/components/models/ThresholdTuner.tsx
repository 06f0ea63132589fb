'use client';
import { FormError } from '@/components/FormError';
import { useRouter } from 'next/navigation';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { RocCurve } from '@/components/charts/RocCurve';
import { ThresholdHistogram } from '@/components/charts/ThresholdHistogram';
import chartStyles from '@/components/charts/charts.module.css';
import {
  binCounts,
  binEdges,
  countAbove,
  median,
  rateAbove,
  rocArea,
  rocCurve,
  sortedCopy,
} from '@/components/charts/scores';
import { errorMessage, mutate } from '@/lib/client';
import { formatPercent, formatScore } from './format';
import styles from './models.module.css';
import { ModelSetThresholdMutation } from './operations';
import { isFlagged } from '@padim/core/decision';

const BINS = 30;
/** Arrow-key steps across the score range. */
const STEPS = 200;

export interface ThresholdTunerProps {
  readonly modelVersionId: string;
  readonly version: number;
  readonly canEdit: boolean;
  /** The threshold in force. */
  readonly active: { readonly id: string; readonly value: number; readonly method: string };
  /** Held-out normal image scores of the calibration. */
  readonly normalScores: readonly number[];
  /** The stored histogram, used when the calibration kept no scores. */
  readonly histogram: {
    readonly edges: readonly number[];
    readonly counts: readonly number[];
  } | null;
  /** Scores of labelled defect images of the training snapshot (calibration). */
  readonly defectScores: readonly number[];
  /** Scores of this version's inspections that a reviewer confirmed as defects. */
  readonly reviewedDefectScores: readonly number[];
}

/**
 * Threshold tuning on the normal-score histogram: drag the line (or use the keyboard on its
 * handle) and see the false-alarm rate and recall that value implies; save it with a reason as a
 * MANUAL threshold. The ROC curve shows where the value sits when defect scores exist.
 */
export function ThresholdTuner(props: ThresholdTunerProps) {
  const { active, canEdit } = props;
  const router = useRouter();
  const ids = useId().replace(/:/g, '');
  const [draft, setDraft] = useState(active.value);
  const [typed, setTyped] = useState(formatScore(active.value));
  const [seenActive, setSeenActive] = useState(active.id);
  const [asking, setAsking] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  // A new threshold in force (saved here or elsewhere): start from it.
  if (active.id !== seenActive) {
    setSeenActive(active.id);
    setDraft(active.value);
    setTyped(formatScore(active.value));
  }

  const model = useMemo(() => {
    const normals = sortedCopy(props.normalScores);
    const defects = sortedCopy([...props.defectScores, ...props.reviewedDefectScores]);
    const all = [...normals, ...defects, active.value];
    if (normals.length === 0 && props.histogram && props.histogram.edges.length > 1)
      all.push(props.histogram.edges[0]!, props.histogram.edges.at(-1)!);
    let lo = Math.min(...all);
    let hi = Math.max(...all);
    const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(hi) * 0.1, 1);
    lo = Math.max(0, lo - pad);
    hi = hi + pad;
    let edges: number[];
    let normalCounts: number[];
    if (normals.length > 0 || !props.histogram) {
      edges = binEdges(lo, hi, BINS);
      normalCounts = binCounts(normals, edges);
    } else {
      edges = [...props.histogram.edges];
      normalCounts = [...props.histogram.counts];
    }
    const normalTotal = normals.length || normalCounts.reduce((a, b) => a + b, 0);
    const roc = rocCurve(normals, defects);
    return {
      normals,
      defects,
      domain: [lo, hi] as const,
      edges,
      normalCounts,
      normalTotal,
      defectCounts: defects.length > 0 ? binCounts(defects, edges) : undefined,
      roc,
      auroc: rocArea(roc),
      step: (hi - lo) / STEPS,
    };
  }, [
    props.normalScores,
    props.defectScores,
    props.reviewedDefectScores,
    props.histogram,
    active.value,
  ]);

  /** Normals flagged at t: exact from scores, else the bins wholly flagged (from the histogram). */
  const normalsAbove = (t: number): number =>
    model.normals.length > 0
      ? countAbove(model.normals, t)
      : model.normalCounts.reduce((n, c, i) => (isFlagged(model.edges[i]!, t) ? n + c : n), 0);
  const far = (t: number) => (model.normalTotal > 0 ? normalsAbove(t) / model.normalTotal : null);
  const recall = (t: number) => rateAbove(model.defects, t);

  const draftFar = far(draft);
  const draftRecall = recall(draft);
  const changed = Math.abs(draft - active.value) > 1e-12;

  const move = (value: number) => {
    setDraft(value);
    setTyped(formatScore(value));
    setSaved(null);
  };

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget).get('reason') ?? '').trim();
    if (!reason) {
      setError('Give a reason: it is kept in the threshold history.');
      return;
    }
    setPending(true);
    setError(null);
    try {
      const r = await mutate(ModelSetThresholdMutation, {
        input: { modelVersionId: props.modelVersionId, value: draft, reason },
      });
      setAsking(false);
      setSaved(`Saved: threshold ${formatScore(r.setThreshold.value)} is now in force.`);
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  const farText =
    draftFar === null
      ? 'unknown'
      : `${formatPercent(draftFar)} (${normalsAbove(draft)} of ${model.normalTotal} held-out good images above)`;
  const recallText =
    draftRecall === null
      ? 'needs defect scores'
      : `${formatPercent(draftRecall)} (${countAbove(model.defects, draft)} of ${model.defects.length} defect scores above)`;
  const range = (xs: readonly number[]) =>
    xs.length
      ? `from ${formatScore(xs[0])} to ${formatScore(xs.at(-1))}, median ${formatScore(median(xs))}`
      : '';
  const operatingPoint =
    draftFar !== null && draftRecall !== null ? { fpr: draftFar, tpr: draftRecall } : null;

  return (
    <div className="stack">
      <div className={styles.charts}>
        <figure className={chartStyles.figure}>
          <ThresholdHistogram
            title={`Image scores of version ${props.version} with the threshold`}
            edges={model.edges}
            normalCounts={model.normalCounts}
            defectCounts={model.defectCounts}
            domain={model.domain}
            threshold={draft}
            step={model.step}
            onThresholdChange={move}
            valueText={`${formatScore(draft)}: false-alarm rate ${
              draftFar === null ? 'unknown' : formatPercent(draftFar)
            }${draftRecall === null ? '' : `, recall ${formatPercent(draftRecall)}`}`}
            describedBy={`${ids}-hist`}
          />
          <ul className={chartStyles.legend} aria-hidden="true">
            <li>
              <span className={`${chartStyles.swatch} ${chartStyles.swatchNormal}`} /> Held-out good
              images
            </li>
            <li>
              <span className={`${chartStyles.swatch} ${chartStyles.swatchDefect}`} /> Defects
              (labelled and reviewed)
            </li>
            <li>
              <span className={`${chartStyles.swatch} ${chartStyles.swatchLine}`} /> Threshold
            </li>
          </ul>
          <figcaption id={`${ids}-hist`} className={chartStyles.caption}>
            Histogram of {model.normalTotal} held-out good-image scores
            {model.normals.length > 0 && ` ${range(model.normals)}`}
            {model.defects.length > 0
              ? `; ${model.defects.length} defect scores ${range(model.defects)} (${props.defectScores.length} labelled, ${props.reviewedDefectScores.length} reviewed)`
              : '; no defect scores yet'}
            . Drag the threshold line, or focus its handle and use the arrow keys (Shift for larger
            steps).
          </figcaption>
          <details>
            <summary>Histogram as a table</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">Score bin</th>
                  <th scope="col">Good images</th>
                  {model.defectCounts && <th scope="col">Defects</th>}
                </tr>
              </thead>
              <tbody>
                {model.normalCounts.map((c, i) =>
                  c > 0 || (model.defectCounts?.[i] ?? 0) > 0 ? (
                    <tr key={i}>
                      <td>
                        {formatScore(model.edges[i])} – {formatScore(model.edges[i + 1])}
                      </td>
                      <td>{c}</td>
                      {model.defectCounts && <td>{model.defectCounts[i]}</td>}
                    </tr>
                  ) : null,
                )}
              </tbody>
            </table>
          </details>
        </figure>
        <figure className={`${chartStyles.figure} ${styles.rocFigure}`}>
          {model.roc.length > 0 ? (
            <>
              <RocCurve
                title={`ROC curve of version ${props.version}`}
                points={model.roc}
                operatingPoint={operatingPoint}
                describedBy={`${ids}-roc`}
              />
              <figcaption id={`${ids}-roc`} className={chartStyles.caption}>
                ROC over {model.normals.length} good and {model.defects.length} defect scores: AUROC{' '}
                {model.auroc === null ? '—' : model.auroc.toFixed(3)}. The dot is the threshold
                being tuned (false-positive rate {formatPercent(operatingPoint?.fpr ?? null)},
                recall {formatPercent(operatingPoint?.tpr ?? null)}).
              </figcaption>
            </>
          ) : (
            <figcaption className="muted">
              <strong>ROC curve:</strong> needs defect scores as well as good ones. Add images
              labelled DEFECT to the dataset and retrain, or review flagged inspections as defects.
            </figcaption>
          )}
        </figure>
      </div>

      <div className={styles.rates}>
        <span>
          Threshold <strong data-testid="draft-threshold">{formatScore(draft)}</strong>
          {changed && <span className="muted"> (in force: {formatScore(active.value)})</span>}
        </span>
        <span data-testid="implied-far">
          False-alarm rate: <strong>{farText}</strong>
        </span>
        <span data-testid="implied-recall">
          Recall: <strong>{recallText}</strong>
        </span>
      </div>
      <div className="row">
        <label className="row" style={{ flexDirection: 'row', alignItems: 'center' }}>
          Threshold value
          <input
            className={styles.thresholdInput}
            type="number"
            min={0}
            step="any"
            value={typed}
            onChange={(e) => {
              setTyped(e.target.value);
              const v = Number(e.target.value);
              if (e.target.value !== '' && Number.isFinite(v) && v >= 0) {
                setDraft(v);
                setSaved(null);
              }
            }}
          />
        </label>
        <button type="button" onClick={() => move(active.value)} disabled={!changed}>
          Reset
        </button>
        {canEdit ? (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setAsking(true);
              setError(null);
            }}
            disabled={!changed || asking}
            aria-expanded={asking}
            aria-controls={`${ids}-reason`}
          >
            Save threshold…
          </button>
        ) : (
          <span className="muted">Saving a threshold needs the engineer role or above.</span>
        )}
      </div>
      {asking && (
        <form id={`${ids}-reason`} className={`stack ${styles.reason}`} onSubmit={save}>
          <p style={{ margin: 0 }}>
            Set the threshold of version {props.version} from {formatScore(active.value)} to{' '}
            <strong>{formatScore(draft)}</strong> (false-alarm rate{' '}
            {draftFar === null ? 'unknown' : formatPercent(draftFar)}). It applies to new
            inspections at once.
          </p>
          <label>
            Reason (kept in the threshold history)
            <textarea name="reason" required maxLength={1000} autoFocus />
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={pending}>
              {pending ? 'Saving…' : 'Save threshold'}
            </button>
            <button type="button" onClick={() => setAsking(false)} disabled={pending}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <FormError error={error} />
      {saved && <p role="status">{saved}</p>}
    </div>
  );
}
