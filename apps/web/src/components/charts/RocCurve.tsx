import styles from './charts.module.css';
import type { RocPoint } from './scores';

const S = 300;
const M = { left: 44, right: 12, top: 12, bottom: 40 };
const P = S - M.left - M.right;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

export interface RocCurveProps {
  readonly points: readonly RocPoint[];
  /** Where the threshold being tuned sits on the curve. */
  readonly operatingPoint?: { readonly fpr: number; readonly tpr: number } | null;
  readonly title: string;
  /** id of the element that gives the curve in words (AUROC, operating point). */
  readonly describedBy?: string;
}

/** ROC curve (TPR over FPR) of a version's scores, the chance diagonal and the operating point. */
export function RocCurve({ points, operatingPoint, title, describedBy }: RocCurveProps) {
  const x = (f: number) => M.left + f * P;
  const y = (t: number) => M.top + (1 - t) * P;
  const path = points.map((p) => `${x(p.fpr).toFixed(1)},${y(p.tpr).toFixed(1)}`).join(' ');
  return (
    <svg
      className={styles.svg}
      viewBox={`0 0 ${S} ${S}`}
      role="img"
      aria-label={title}
      aria-describedby={describedBy}
    >
      {TICKS.map((t) => (
        <g key={t}>
          <line className={styles.grid} x1={x(0)} x2={x(1)} y1={y(t)} y2={y(t)} />
          <line className={styles.grid} x1={x(t)} x2={x(t)} y1={y(0)} y2={y(1)} />
          <text className={styles.tick} x={x(0) - 6} y={y(t) + 4} textAnchor="end">
            {t}
          </text>
          <text className={styles.tick} x={x(t)} y={y(0) + 15} textAnchor="middle">
            {t}
          </text>
        </g>
      ))}
      <line className={styles.axis} x1={x(0)} x2={x(1)} y1={y(0)} y2={y(0)} />
      <line className={styles.axis} x1={x(0)} x2={x(0)} y1={y(0)} y2={y(1)} />
      <line className={styles.chance} x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} />
      {points.length > 1 && <polyline className={styles.rocCurve} points={path} />}
      {operatingPoint && (
        <circle
          className={styles.point}
          cx={x(operatingPoint.fpr)}
          cy={y(operatingPoint.tpr)}
          r={5}
        />
      )}
      <text className={styles.axisLabel} x={M.left + P / 2} y={S - 6} textAnchor="middle">
        False-positive rate (normals flagged)
      </text>
      <text
        className={styles.axisLabel}
        transform={`translate(12 ${M.top + P / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        True-positive rate (recall)
      </text>
    </svg>
  );
}
