import type { ModelVersionDetailQuery } from '@/gql/graphql';
import {
  asNumber,
  asNumbers,
  asRecord,
  formatDateTime,
  formatDuration,
  formatPercent,
  formatScore,
} from './format';
import styles from './models.module.css';
import { ThresholdTuner } from './ThresholdTuner';
import type { VersionRow } from './VersionsTable';

type Detail = ModelVersionDetailQuery;
type ThresholdRow = Detail['thresholds']['edges'][number]['node'];

const METHODS: Record<string, string> = {
  MANUAL: 'Manual',
  FALSE_ALARM_RATE: 'False-alarm rate',
  F1_OPTIMAL: 'F1-optimal',
};

function Metric({
  label,
  value,
  missing,
}: {
  label: string;
  value: string | null;
  missing: string;
}) {
  return (
    <div>
      <dt>{label}</dt>
      {value === null ? <dd className={styles.na}>{missing}</dd> : <dd>{value}</dd>}
    </div>
  );
}

/** Evaluation numbers of one version, from its `metrics` JSON (written by the training worker). */
export function VersionMetrics({ version }: { version: VersionRow }) {
  const m = asRecord(version.metrics);
  const auroc = (key: string) => {
    const v = asNumber(m[key]);
    return v === null ? null : v.toFixed(3);
  };
  const image = auroc('imageAuroc');
  const fitMs = asNumber(m.fitMs);
  const heldOut = asNumber(m.heldOutImages);
  return (
    <dl className={styles.metrics} aria-label={`Metrics of version ${version.version}`}>
      <Metric label="Image AUROC" value={image} missing="needs labelled defect images" />
      <Metric
        label="Pixel AUROC"
        value={auroc('pixelAuroc')}
        missing={image === null ? 'needs labelled defect images' : 'needs defect masks'}
      />
      <Metric
        label="PRO (AUPRO@0.3)"
        value={auroc('pro')}
        missing={image === null ? 'needs labelled defect images' : 'needs defect masks'}
      />
      <Metric
        label="Held-out good images"
        value={heldOut === null ? null : String(heldOut)}
        missing="—"
      />
      <Metric
        label="Images fitted"
        value={version.trainedImageCount > 0 ? String(version.trainedImageCount) : null}
        missing="—"
      />
      <Metric
        label="Fit time"
        value={fitMs === null ? null : formatDuration(fitMs / 1000)}
        missing="—"
      />
    </dl>
  );
}

/** The newest calibration block of a version's history (manual rows carry none). */
export function latestCalibration(history: readonly ThresholdRow[]) {
  for (const t of history) {
    const c = asRecord(t.calibration);
    if (Object.keys(c).length === 0) continue;
    const hist = asRecord(c.histogram);
    const edges = asNumbers(hist.edges);
    const counts = asNumbers(hist.counts);
    return {
      normalScores: asNumbers(c.normalScores),
      defectScores: asNumbers(c.defectScores),
      histogram: edges.length === counts.length + 1 && counts.length > 0 ? { edges, counts } : null,
      targetFalseAlarmRate: asNumber(c.targetFalseAlarmRate),
      achievedFalseAlarmRate: asNumber(c.achievedFalseAlarmRate),
    };
  }
  return null;
}

/** Metrics, threshold tuning and threshold history of the selected version. */
export function VersionDetails({
  version,
  detail,
  reviewedDefectScores,
  canManage,
}: {
  version: VersionRow;
  detail: Detail;
  /** Scores of this version's inspections that reviewers confirmed as defects. */
  reviewedDefectScores: readonly number[];
  canManage: boolean;
}) {
  const history = detail.thresholds.edges.map((e) => e.node);
  const calibration = latestCalibration(history);
  const active = detail.activeThreshold;
  return (
    <>
      <section className="card" aria-labelledby="metrics-title">
        <h3 id="metrics-title">Metrics</h3>
        <VersionMetrics version={version} />
      </section>
      <section className="card" aria-labelledby="threshold-title">
        <div className="spread">
          <h3 id="threshold-title">Threshold</h3>
          {active && (
            <span>
              In force: <strong className="mono">{formatScore(active.value)}</strong>{' '}
              <span className="badge">{METHODS[active.method] ?? active.method}</span>
            </span>
          )}
        </div>
        <p className="muted">
          A part is flagged when its image score is above the threshold.
          {calibration?.targetFalseAlarmRate != null &&
            ` Calibrated for a ${formatPercent(calibration.targetFalseAlarmRate)} false-alarm rate on held-out good images (achieved ${formatPercent(calibration.achievedFalseAlarmRate)}).`}
        </p>
        {active && calibration ? (
          <ThresholdTuner
            modelVersionId={version.id}
            version={version.version}
            canEdit={canManage}
            active={{ id: active.id, value: active.value, method: active.method }}
            normalScores={calibration.normalScores}
            histogram={calibration.histogram}
            defectScores={calibration.defectScores}
            reviewedDefectScores={reviewedDefectScores}
          />
        ) : (
          <p className="muted">
            {active
              ? 'This version kept no calibration scores, so the threshold cannot be tuned here.'
              : 'No threshold yet: it is calibrated when training finishes.'}
          </p>
        )}
        <h3 id="history-title">Threshold history</h3>
        {history.length === 0 ? (
          <p className="muted">No thresholds yet.</p>
        ) : (
          <div
            className={styles.tableWrap}
            role="region"
            aria-labelledby="history-title"
            tabIndex={0}
          >
            <table data-testid="threshold-history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Method</th>
                  <th scope="col" className={styles.num}>
                    Value
                  </th>
                  <th scope="col" className={styles.num}>
                    Previous
                  </th>
                  <th scope="col">By</th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {history.map((t) => (
                  <tr key={t.id}>
                    <td>{formatDateTime(t.createdAt)}</td>
                    <td>
                      <span className="badge">{METHODS[t.method] ?? t.method}</span>
                      {t.targetFalseAlarmRate != null && (
                        <span className="muted">
                          {' '}
                          target {formatPercent(t.targetFalseAlarmRate)}
                        </span>
                      )}
                    </td>
                    <td className={`${styles.num} mono`}>{formatScore(t.value)}</td>
                    <td className={`${styles.num} mono`}>{formatScore(t.previousValue)}</td>
                    <td>{t.setBy ? t.setBy.name : t.setById ? 'a former member' : 'system'}</td>
                    <td>{t.note ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
