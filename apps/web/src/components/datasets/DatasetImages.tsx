'use client';
import { useEffect, useId, useState } from 'react';
import { graphql } from '@/gql';
import type { DatasetImagesPageQuery, ImageLabel } from '@/gql/graphql';
import { errorMessage, request } from '@/lib/client';
import { IMAGE_LABELS, LABEL_TEXT } from './labels';
import styles from './datasets.module.css';

const DatasetImagesPage = graphql(`
  query DatasetImagesPage($datasetId: ID!, $first: Int, $after: String, $label: ImageLabel) {
    datasetImages(datasetId: $datasetId, first: $first, after: $after, label: $label) {
      edges {
        node {
          id
          url
          label
          originalName
          width
          height
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAGE_SIZE = 40;

type Page = DatasetImagesPageQuery['datasetImages'];

/** Thumbnails of a dataset, newest first, filtered by label, a page at a time. */
export function DatasetImages({ datasetId, version }: { datasetId: string; version: number }) {
  const filterId = useId();
  const [label, setLabel] = useState<ImageLabel | ''>('');
  // Cursors of the pages seen so far: the last one is the page shown (null: the first page).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const after = cursors[cursors.length - 1] ?? null;

  // A new upload batch starts again at the first page.
  useEffect(() => {
    setCursors([null]);
  }, [version]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    request(DatasetImagesPage, {
      datasetId,
      first: PAGE_SIZE,
      after,
      label: label || null,
    })
      .then((r) => {
        if (live) setPage(r.datasetImages);
      })
      .catch((e: unknown) => {
        if (live) setError(errorMessage(e));
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [datasetId, after, label, version]);

  const images = page?.edges.map((e) => e.node) ?? [];
  const pageNumber = cursors.length;

  return (
    <section className="card" aria-labelledby="images-title" aria-busy={loading}>
      <div className="spread">
        <h2 id="images-title">Images</h2>
        <div className={styles.filter}>
          <label htmlFor={filterId}>Show</label>
          <select
            id={filterId}
            value={label}
            onChange={(e) => {
              setLabel(e.target.value as ImageLabel | '');
              setCursors([null]);
            }}
          >
            <option value="">All labels</option>
            {IMAGE_LABELS.map((l) => (
              <option key={l} value={l}>
                {LABEL_TEXT[l]} only
              </option>
            ))}
          </select>
        </div>
      </div>

      <p role="status" className="muted" aria-live="polite">
        {loading
          ? 'Loading images…'
          : error
            ? ''
            : images.length === 0
              ? ''
              : `Page ${pageNumber}: ${images.length} image${images.length === 1 ? '' : 's'}.`}
      </p>
      {error && (
        <p role="alert" className="error">
          The images could not be loaded: {error}
        </p>
      )}
      {!loading && !error && images.length === 0 && (
        <p className={styles.empty}>
          {label
            ? `No images labelled ${LABEL_TEXT[label].toLowerCase()}.`
            : pageNumber === 1
              ? 'No images yet. Add some above: a model learns what normal looks like from good images.'
              : 'No more images.'}
        </p>
      )}
      {images.length > 0 && (
        <ul className={styles.thumbs} aria-label="Dataset images" data-testid="thumbnails">
          {images.map((image) => (
            <li key={image.id} className={styles.thumb}>
              <a href={image.url} target="_blank" rel="noreferrer">
                {/* Presigned object-store URLs: a plain img, nothing for Next to optimise. */}
                <img
                  src={image.url}
                  alt={image.originalName ?? `image ${image.id}`}
                  width={image.width}
                  height={image.height}
                  loading="lazy"
                />
              </a>
              <div className={styles.caption}>
                <span className={styles.fileName} title={image.originalName ?? undefined}>
                  {image.originalName ?? image.id.slice(-8)}
                </span>
                <span className={`badge ${image.label}`}>{LABEL_TEXT[image.label]}</span>
              </div>
              <span className="muted">
                {image.width}×{image.height}
              </span>
            </li>
          ))}
        </ul>
      )}
      {(pageNumber > 1 || page?.pageInfo.hasNextPage) && (
        <nav className="row" aria-label="Image pages">
          <button
            type="button"
            disabled={pageNumber === 1 || loading}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            ← Newer
          </button>
          <span className="muted">Page {pageNumber}</span>
          <button
            type="button"
            disabled={!page?.pageInfo.hasNextPage || loading}
            onClick={() => {
              const next = page?.pageInfo.endCursor;
              if (next) setCursors((c) => [...c, next]);
            }}
          >
            Older →
          </button>
        </nav>
      )}
    </section>
  );
}
