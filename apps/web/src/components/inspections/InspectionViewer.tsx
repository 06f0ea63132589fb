'use client';
/**
 * One inspected image at the largest size that fits, with its anomaly heatmap (a PNG of the same
 * aspect, transparent outside the scored area) laid over it and the regions above the threshold
 * drawn as boxes. Boxes are placed in percentages of the original image's size (the pixels the
 * API reports them in), so they follow the displayed size without measuring it.
 */
import { useId, useState, type CSSProperties } from 'react';
import type { InspectionViewFieldsFragment } from '@/gql/graphql';
import { formatScore } from './format';
import { TURBO_GRADIENT } from './turbo';
import styles from './InspectionViewer.module.css';

export interface OverlayState {
  heatmap: boolean;
  /** 0 to 1. */
  opacity: number;
  regions: boolean;
}

export const DEFAULT_OVERLAY: OverlayState = { heatmap: true, opacity: 0.55, regions: true };

/** Regions listed under the image; the boxes show them all. */
const LISTED_REGIONS = 10;

type Viewable = Pick<
  InspectionViewFieldsFragment,
  | 'imageUrl'
  | 'heatmapUrl'
  | 'heatmapMin'
  | 'heatmapMax'
  | 'imageWidth'
  | 'imageHeight'
  | 'regions'
  | 'thresholdValue'
  | 'status'
>;

export function InspectionViewer({
  inspection,
  alt,
  overlay,
  onOverlayChange,
  size = 'large',
  onImageError,
}: {
  inspection: Viewable;
  alt: string;
  overlay: OverlayState;
  onOverlayChange: (next: OverlayState) => void;
  /** 'large' fills the viewport height (the review queue); 'medium' leaves room below. */
  size?: 'large' | 'medium';
  /** The presigned URLs are short-lived: the caller may fetch fresh ones. */
  onImageError?: () => void;
}) {
  const id = useId();
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [broken, setBroken] = useState(false);
  const width = inspection.imageWidth ?? natural?.w ?? null;
  const height = inspection.imageHeight ?? natural?.h ?? null;
  const hasHeatmap = Boolean(inspection.heatmapUrl);
  const regions = inspection.regions;
  const sized = width != null && height != null && width > 0 && height > 0;
  const showBoxes = overlay.regions && sized;

  return (
    <figure className={`${styles.viewer} ${size === 'large' ? styles.large : styles.medium}`}>
      <div className={styles.stage}>
        {broken ? (
          <div className={styles.broken} role="alert">
            <p>The image could not be loaded; its link may have expired.</p>
            {onImageError && (
              <button
                type="button"
                onClick={() => {
                  setBroken(false);
                  onImageError();
                }}
              >
                Reload image
              </button>
            )}
          </div>
        ) : (
          <div
            className={sized ? `${styles.frame} ${styles.sized}` : styles.frame}
            style={
              sized
                ? ({
                    '--ar': width! / height!,
                    aspectRatio: `${width} / ${height}`,
                  } as CSSProperties)
                : undefined
            }
          >
            <img
              className={styles.image}
              src={inspection.imageUrl}
              alt={alt}
              width={inspection.imageWidth ?? undefined}
              height={inspection.imageHeight ?? undefined}
              onLoad={(e) =>
                setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })
              }
              onError={() => setBroken(true)}
            />
            {hasHeatmap && overlay.heatmap && (
              <img
                className={styles.heatmap}
                src={inspection.heatmapUrl!}
                alt=""
                aria-hidden="true"
                data-overlay="heatmap"
                style={{ opacity: overlay.opacity }}
              />
            )}
            {showBoxes &&
              regions.map((r, i) => {
                const top = r.y / height!;
                return (
                  <div
                    key={`${r.x},${r.y},${i}`}
                    className={styles.region}
                    data-region={i + 1}
                    aria-hidden="true"
                    style={{
                      left: `${(100 * r.x) / width!}%`,
                      top: `${100 * top}%`,
                      width: `${(100 * r.width) / width!}%`,
                      height: `${(100 * r.height) / height!}%`,
                    }}
                  >
                    <span className={top < 0.08 ? styles.labelInside : styles.label}>
                      {formatScore(r.maxScore)}
                    </span>
                  </div>
                );
              })}
          </div>
        )}
      </div>
      <figcaption className={styles.controls}>
        <div className={styles.toggles}>
          <label className={styles.check}>
            <input
              type="checkbox"
              checked={overlay.heatmap}
              disabled={!hasHeatmap}
              onChange={(e) => onOverlayChange({ ...overlay, heatmap: e.target.checked })}
            />
            Heatmap <kbd>H</kbd>
          </label>
          <label className={styles.slider} htmlFor={`${id}-opacity`}>
            <span>
              Opacity{' '}
              <output htmlFor={`${id}-opacity`}>{Math.round(overlay.opacity * 100)}%</output>
            </span>
            <input
              id={`${id}-opacity`}
              type="range"
              min={0}
              max={100}
              step={5}
              value={Math.round(overlay.opacity * 100)}
              disabled={!hasHeatmap || !overlay.heatmap}
              onChange={(e) =>
                onOverlayChange({ ...overlay, opacity: Number(e.target.value) / 100 })
              }
            />
          </label>
          <label className={styles.check}>
            <input
              type="checkbox"
              checked={overlay.regions}
              onChange={(e) => onOverlayChange({ ...overlay, regions: e.target.checked })}
            />
            Region boxes <kbd>B</kbd>
          </label>
        </div>
        {hasHeatmap && inspection.heatmapMin != null && inspection.heatmapMax != null ? (
          <Legend
            min={inspection.heatmapMin}
            max={inspection.heatmapMax}
            threshold={inspection.thresholdValue}
          />
        ) : (
          <p className="muted">
            {inspection.status === 'COMPLETED'
              ? 'No heatmap was stored for this inspection.'
              : `No heatmap yet: the inspection is ${inspection.status.toLowerCase()}.`}
          </p>
        )}
        {regions.length > 0 ? (
          <details className={styles.regions}>
            <summary>
              {regions.length} region{regions.length === 1 ? '' : 's'} above the threshold
            </summary>
            <ol>
              {regions.slice(0, LISTED_REGIONS).map((r, i) => (
                <li key={`${r.x},${r.y},${i}`}>
                  peak {formatScore(r.maxScore)} · {r.width}×{r.height} px at ({r.x}, {r.y}) ·{' '}
                  {r.area} px above
                </li>
              ))}
            </ol>
            {regions.length > LISTED_REGIONS && (
              <p className="muted">and {regions.length - LISTED_REGIONS} more (boxes show all)</p>
            )}
          </details>
        ) : (
          inspection.status === 'COMPLETED' && (
            <p className="muted">No region above the threshold.</p>
          )
        )}
      </figcaption>
    </figure>
  );
}

/** The heatmap's colour scale, with the threshold marked where it falls inside it. */
function Legend({
  min,
  max,
  threshold,
}: {
  min: number;
  max: number;
  threshold: number | null | undefined;
}) {
  const span = max - min;
  const at =
    threshold != null && span > 0 && threshold >= min && threshold <= max
      ? (100 * (threshold - min)) / span
      : null;
  const description =
    `Colour scale: turbo, from dark blue at ${formatScore(min)} to dark red at ${formatScore(max)}` +
    (at != null ? `; threshold ${formatScore(threshold)} at ${at.toFixed(0)}%` : '');
  return (
    <div className={styles.legend} role="img" aria-label={description}>
      {at != null && (
        // Shifted by its own share of the width so that it never leaves the bar's ends.
        <div className={styles.thresholdRow} aria-hidden="true">
          <span style={{ left: `${at}%`, transform: `translateX(-${at}%)` }}>
            threshold {formatScore(threshold)}
          </span>
        </div>
      )}
      <div className={styles.bar} style={{ backgroundImage: TURBO_GRADIENT }}>
        {at != null && <span className={styles.marker} style={{ left: `${at}%` }} />}
      </div>
      <div className={styles.ticks} aria-hidden="true">
        <span>{formatScore(min)}</span>
        <span>{formatScore(max)}</span>
      </div>
    </div>
  );
}
