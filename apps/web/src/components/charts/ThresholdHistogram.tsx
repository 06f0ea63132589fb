'use client';
import { useId, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import styles from './charts.module.css';
import { niceTicks } from './scores';

const W = 640;
const H = 280;
const M = { left: 44, right: 16, top: 30, bottom: 40 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

export interface ThresholdHistogramProps {
  /** Bin edges shared by both series (counts.length + 1 of them). */
  readonly edges: readonly number[];
  readonly normalCounts: readonly number[];
  /** Defect scores in the same bins, drawn hatched over the normals. */
  readonly defectCounts?: readonly number[];
  /** Score range of the x axis; the threshold is kept inside it. */
  readonly domain: readonly [number, number];
  readonly threshold: number;
  /** Without it the threshold line is drawn but cannot be moved. */
  readonly onThresholdChange?: (value: number) => void;
  /** Arrow-key step; Shift or Page Up/Down move ten steps. */
  readonly step: number;
  /** Spoken value of the handle, e.g. "12.3: 1.0% false alarms". */
  readonly valueText: string;
  /** id of the element that summarises the chart in words. */
  readonly describedBy?: string;
  readonly title: string;
}

/**
 * Histogram of image scores with the threshold as a vertical line. The line's handle is a slider:
 * drag it (pointer) or focus it and use ←/→ (Shift: ×10), Page Up/Down, Home/End.
 */
export function ThresholdHistogram(props: ThresholdHistogramProps) {
  const { edges, normalCounts, defectCounts, domain, threshold, onThresholdChange, step } = props;
  const svgRef = useRef<SVGSVGElement>(null);
  const [dragging, setDragging] = useState(false);
  const [focused, setFocused] = useState(false);
  const hatch = useId().replace(/:/g, '');
  const [lo, hi] = domain;
  const span = hi > lo ? hi - lo : 1;
  const x = (v: number) => M.left + ((v - lo) / span) * PLOT_W;
  const maxCount = Math.max(1, ...normalCounts, ...(defectCounts ?? []));
  const y = (c: number) => M.top + PLOT_H - (c / maxCount) * PLOT_H;
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  const editable = onThresholdChange !== undefined;

  const valueAt = (clientX: number): number => {
    const rect = svgRef.current!.getBoundingClientRect();
    const vx = ((clientX - rect.left) / rect.width) * W;
    return clamp(lo + ((vx - M.left) / PLOT_W) * span);
  };

  const onPointerDown = (e: PointerEvent<SVGElement>) => {
    if (!editable || e.button !== 0) return;
    e.preventDefault();
    svgRef.current!.setPointerCapture(e.pointerId);
    setDragging(true);
    onThresholdChange(valueAt(e.clientX));
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (dragging && editable) onThresholdChange(valueAt(e.clientX));
  };
  const endDrag = (e: PointerEvent<SVGSVGElement>) => {
    if (!dragging) return;
    setDragging(false);
    if (svgRef.current?.hasPointerCapture(e.pointerId))
      svgRef.current.releasePointerCapture(e.pointerId);
  };

  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    if (!editable) return;
    const big = step * 10;
    const moves: Record<string, number> = {
      ArrowLeft: -(e.shiftKey ? big : step),
      ArrowDown: -(e.shiftKey ? big : step),
      ArrowRight: e.shiftKey ? big : step,
      ArrowUp: e.shiftKey ? big : step,
      PageDown: -big,
      PageUp: big,
    };
    let next: number | undefined;
    if (e.key in moves) next = clamp(threshold + moves[e.key]!);
    else if (e.key === 'Home') next = lo;
    else if (e.key === 'End') next = hi;
    if (next === undefined) return;
    e.preventDefault();
    onThresholdChange(next);
  };

  const tx = x(clamp(threshold));
  const xTicks = niceTicks(lo, hi, 6);
  const yTicks = niceTicks(0, maxCount, 4).filter((t) => Number.isInteger(t));

  return (
    <svg
      ref={svgRef}
      className={styles.svg}
      viewBox={`0 0 ${W} ${H}`}
      role="group"
      aria-label={props.title}
      aria-describedby={props.describedBy}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
    >
      <defs>
        <pattern
          id={hatch}
          width="6"
          height="6"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <rect width="6" height="6" fill="rgba(164, 22, 26, 0.12)" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="#a4161a" strokeWidth="2.5" />
        </pattern>
      </defs>
      <g aria-hidden="true">
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line className={styles.grid} x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text className={styles.tick} x={M.left - 6} y={y(t) + 4} textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text
            key={`x${t}`}
            className={styles.tick}
            x={x(t)}
            y={M.top + PLOT_H + 16}
            textAnchor="middle"
          >
            {t}
          </text>
        ))}
        <line
          className={styles.axis}
          x1={M.left}
          x2={W - M.right}
          y1={M.top + PLOT_H}
          y2={M.top + PLOT_H}
        />
        <text className={styles.axisLabel} x={M.left + PLOT_W / 2} y={H - 6} textAnchor="middle">
          Image score (max of the anomaly map)
        </text>
        <text
          className={styles.axisLabel}
          transform={`translate(12 ${M.top + PLOT_H / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          Images
        </text>
        <rect
          className={styles.plot}
          x={M.left}
          y={M.top}
          width={PLOT_W}
          height={PLOT_H}
          onPointerDown={onPointerDown}
        />
        {normalCounts.map((c, i) =>
          c > 0 ? (
            <rect
              key={`n${i}`}
              className={styles.normalBar}
              x={x(edges[i]!) + 0.5}
              y={y(c)}
              width={Math.max(1, x(edges[i + 1]!) - x(edges[i]!) - 1)}
              height={M.top + PLOT_H - y(c)}
              pointerEvents="none"
            />
          ) : null,
        )}
        {defectCounts?.map((c, i) =>
          c > 0 ? (
            <rect
              key={`d${i}`}
              className={styles.defectBar}
              fill={`url(#${hatch})`}
              x={x(edges[i]!) + 0.5}
              y={y(c)}
              width={Math.max(1, x(edges[i + 1]!) - x(edges[i]!) - 1)}
              height={M.top + PLOT_H - y(c)}
              pointerEvents="none"
            />
          ) : null,
        )}
        <line
          className={styles.thresholdLine}
          x1={tx}
          x2={tx}
          y1={M.top - 6}
          y2={M.top + PLOT_H}
          pointerEvents="none"
        />
        {editable && (
          <rect
            className={styles.hit}
            x={tx - 9}
            y={M.top}
            width={18}
            height={PLOT_H}
            onPointerDown={onPointerDown}
          />
        )}
      </g>
      <g
        className={styles.handle}
        role="slider"
        tabIndex={editable ? 0 : -1}
        aria-label="Threshold"
        aria-orientation="horizontal"
        aria-valuemin={lo}
        aria-valuemax={hi}
        aria-valuenow={threshold}
        aria-valuetext={props.valueText}
        aria-readonly={editable ? undefined : true}
        data-testid="threshold-handle"
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onPointerDown={onPointerDown}
      >
        {focused && (
          <rect className={styles.handleFocus} x={tx - 12} y={2} width={24} height={26} rx={5} />
        )}
        <rect className={styles.handleBody} x={tx - 9} y={5} width={18} height={20} rx={4} />
        <line className={styles.handleGrip} x1={tx - 3} x2={tx - 3} y1={10} y2={20} />
        <line className={styles.handleGrip} x1={tx + 3} x2={tx + 3} y1={10} y2={20} />
      </g>
    </svg>
  );
}
