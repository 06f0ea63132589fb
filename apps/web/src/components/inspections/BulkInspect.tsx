'use client';
/**
 * Inspect many images at once: the files go up as GraphQL multipart requests of at most
 * FILES_PER_REQUEST (the API's MULTIPART_MAX_FILES default), one after the other. Each request is a
 * batch; its files are answered at once (queued, or refused with a code) and their results are
 * then polled until the worker has scored them.
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { graphql } from '@/gql';
import type { InspectionStatus, Verdict } from '@/gql/graphql';
import { errorMessage, request, upload } from '@/lib/client';
import { ApiError } from '@/lib/errors';
import { formatScore } from './format';
import type { ProductModelOption } from './productModels';
import styles from './BulkInspect.module.css';

const InspectionsBulkInspect = graphql(`
  mutation InspectionsBulkInspect($productModelId: ID!, $images: [Upload!]!, $source: String) {
    inspectImages(productModelId: $productModelId, images: $images, source: $source) {
      batchId
      results {
        ok
        fileName
        error {
          code
          message
        }
        inspection {
          id
          status
        }
      }
    }
  }
`);

const InspectionsBatchOutcomes = graphql(`
  query InspectionsBatchOutcomes($batchId: ID!) {
    inspections(filter: { batchId: $batchId }, first: 100) {
      edges {
        node {
          id
          status
          score
          verdict
        }
      }
    }
  }
`);

/** The API's MULTIPART_MAX_FILES default: files per inspectImages request. */
export const FILES_PER_REQUEST = 20;
const POLL_MS = 2000;
/** Stop polling after this long; the batch link shows the rest. */
const POLL_FOR_MS = 5 * 60_000;
const SOURCE = 'dashboard upload';

interface Row {
  key: string;
  name: string;
  bytes: number;
  state: 'waiting' | 'sending' | 'queued' | 'refused';
  code?: string;
  message?: string;
  inspectionId?: string;
  batchId?: string;
}

interface Outcome {
  status: InspectionStatus;
  score: number | null;
  verdict: Verdict | null;
}

function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(0)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const finished = (o: Outcome | undefined) => o?.status === 'COMPLETED' || o?.status === 'FAILED';

export function BulkInspect({
  id: anchor,
  productModels,
  defaultProductModelId,
}: {
  /** The section's id, to link to it. */
  id?: string;
  productModels: ProductModelOption[];
  defaultProductModelId?: string;
}) {
  const id = useId();
  const router = useRouter();
  const [productModelId, setProductModelId] = useState(
    defaultProductModelId ?? (productModels.length === 1 ? productModels[0]!.id : ''),
  );
  const [files, setFiles] = useState<File[]>([]);
  const [rows, setRows] = useState<Row[]>([]);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number; fraction: number }>();
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [pollUntil, setPollUntil] = useState(0);
  const [tick, setTick] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  const batches = [...new Set(rows.flatMap((r) => (r.batchId ? [r.batchId] : [])))];
  const pendingBatches = [
    ...new Set(
      rows.flatMap((r) =>
        r.state === 'queued' && r.batchId && !finished(outcomes[r.inspectionId!])
          ? [r.batchId]
          : [],
      ),
    ),
  ];
  const pendingKey = pendingBatches.join(',');

  // The worker scores queued images in the background: poll the open batches for their outcomes.
  useEffect(() => {
    if (!pendingKey || Date.now() > pollUntil) return;
    let stopped = false;
    const timer = setTimeout(async () => {
      for (const batchId of pendingKey.split(',')) {
        if (stopped) return;
        try {
          const { inspections } = await request(InspectionsBatchOutcomes, { batchId });
          if (stopped) return;
          setOutcomes((o) => {
            const next = { ...o };
            for (const { node } of inspections.edges)
              next[node.id] = { status: node.status, score: node.score, verdict: node.verdict };
            return next;
          });
        } catch {
          // A missed poll is retried at the next tick.
        }
      }
      if (!stopped) setTick((t) => t + 1);
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [pendingKey, pollUntil, tick]);

  function pick(list: FileList | null) {
    if (!list || list.length === 0) return;
    setFiles(Array.from(list));
    setRows([]);
    setOutcomes({});
    setError(null);
    setProgress(undefined);
  }

  async function start() {
    if (!productModelId) {
      setError('Choose a product model first.');
      return;
    }
    if (files.length === 0) {
      setError('Choose or drop images first.');
      return;
    }
    setError(null);
    setRunning(true);
    const all: Row[] = files.map((f, i) => ({
      key: `${i}-${f.name}`,
      name: f.name,
      bytes: f.size,
      state: 'waiting',
    }));
    setRows(all);
    setOutcomes({});
    setPollUntil(Date.now() + POLL_FOR_MS);
    const total = Math.ceil(files.length / FILES_PER_REQUEST);
    for (let c = 0; c < total; c++) {
      const from = c * FILES_PER_REQUEST;
      const chunk = files.slice(from, from + FILES_PER_REQUEST);
      const update = (fn: (row: Row, i: number) => Row) =>
        setRows((list) =>
          list.map((row, i) => (i >= from && i < from + chunk.length ? fn(row, i - from) : row)),
        );
      update((row) => ({ ...row, state: 'sending' }));
      setProgress({ done: c, total, fraction: 0 });
      try {
        const { inspectImages } = await upload(
          InspectionsBulkInspect,
          // The multipart spec's nulls: each file fills its own variables.images.N.
          { productModelId, images: chunk.map(() => null as unknown as File), source: SOURCE },
          chunk.map((file, i) => ({ path: `variables.images.${i}`, file })),
          (fraction) => setProgress({ done: c, total, fraction }),
        );
        update((row, i) => {
          const result = inspectImages.results[i];
          if (!result) return { ...row, state: 'refused', code: 'NO_RESULT' };
          return result.ok && result.inspection
            ? {
                ...row,
                state: 'queued',
                inspectionId: result.inspection.id,
                batchId: inspectImages.batchId,
              }
            : {
                ...row,
                state: 'refused',
                code: result.error?.code ?? 'REFUSED',
                message: result.error?.message,
              };
        });
      } catch (caught) {
        const code = caught instanceof ApiError ? (caught.reason ?? caught.code) : 'UPLOAD_FAILED';
        update((row) => ({ ...row, state: 'refused', code, message: errorMessage(caught) }));
        // The same cause (no active model version, no permission) would refuse every request.
        if (caught instanceof ApiError && caught.code !== 'NETWORK') {
          setRows((list) =>
            list.map((row) =>
              row.state === 'waiting'
                ? { ...row, state: 'refused', code, message: 'not sent (see above)' }
                : row,
            ),
          );
          setError(`The upload was refused: ${errorMessage(caught)}`);
          break;
        }
      }
    }
    setProgress((p) => (p ? { done: p.total, total: p.total, fraction: 1 } : p));
    setFiles([]);
    if (input.current) input.current.value = '';
    setRunning(false);
    // The list above is server-rendered: show the new (pending) inspections in it.
    router.refresh();
  }

  const accepted = rows.filter((r) => r.state === 'queued').length;
  const refused = rows.filter((r) => r.state === 'refused').length;
  const scored = rows.filter((r) => r.inspectionId && finished(outcomes[r.inspectionId])).length;
  const allScored = !running && accepted > 0 && scored === accepted;
  // Once everything is scored, the list above shows the verdicts too.
  useEffect(() => {
    if (allScored) router.refresh();
  }, [allScored, router]);

  return (
    <section id={anchor} className={`card ${styles.bulk}`} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Inspect images</h2>
      <p className="muted">
        Score a set of images with the active model of a product model. Up to {FILES_PER_REQUEST}{' '}
        files go in each request; larger sets are sent in several batches.
      </p>
      <div className={styles.form}>
        <label>
          Product model
          <select
            value={productModelId}
            onChange={(e) => setProductModelId(e.target.value)}
            disabled={running}
            required
          >
            <option value="">Choose…</option>
            {productModels.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <div
          className={`${styles.drop} ${dragging ? styles.dragging : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            if (!running) pick(e.dataTransfer.files);
          }}
        >
          <label htmlFor={`${id}-files`}>Drop images here, or choose them</label>
          <input
            ref={input}
            id={`${id}-files`}
            type="file"
            multiple
            accept="image/png,image/jpeg,image/bmp,image/tiff,image/webp"
            disabled={running}
            onChange={(e) => pick(e.target.files)}
          />
          <span className="muted" aria-live="polite">
            {files.length > 0
              ? `${files.length} file${files.length === 1 ? '' : 's'} chosen (${formatBytes(files.reduce((s, f) => s + f.size, 0))})`
              : 'PNG, JPEG, BMP, TIFF or WebP'}
          </span>
        </div>
        <button
          type="button"
          className="primary"
          onClick={() => void start()}
          disabled={running || files.length === 0}
        >
          {running
            ? 'Inspecting…'
            : files.length > 0
              ? `Inspect ${files.length} image${files.length === 1 ? '' : 's'}`
              : 'Inspect images'}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {progress && running && (
        <div className={styles.progress}>
          <span>
            Request {Math.min(progress.done + 1, progress.total)} of {progress.total}
          </span>
          <div
            className="progress"
            role="progressbar"
            aria-label="Upload progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(
              (100 * (progress.done + progress.fraction)) / Math.max(1, progress.total),
            )}
          >
            <span
              style={{
                width: `${(100 * (progress.done + progress.fraction)) / Math.max(1, progress.total)}%`,
              }}
            />
          </div>
        </div>
      )}
      {rows.length > 0 && (
        <>
          <p role="status" className={styles.summary}>
            {accepted} accepted, {refused} refused
            {accepted > 0 && `, ${scored} of ${accepted} scored`}.
            {batches.length > 0 && (
              <>
                {' '}
                {batches.length === 1 ? 'Batch: ' : 'Batches: '}
                {batches.map((b, i) => (
                  <span key={b}>
                    {i > 0 && ', '}
                    <Link href={`/inspections?batchId=${encodeURIComponent(b)}`}>
                      {batches.length === 1 ? 'view the batch' : `batch ${i + 1}`}
                    </Link>
                  </span>
                ))}
              </>
            )}
          </p>
          <div className={styles.results}>
            <table>
              <caption className="sr-only">Per-file results</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Size</th>
                  <th scope="col">Upload</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const outcome = row.inspectionId ? outcomes[row.inspectionId] : undefined;
                  return (
                    <tr key={row.key} data-state={row.state}>
                      <td className={styles.name}>{row.name}</td>
                      <td>{formatBytes(row.bytes)}</td>
                      <td>
                        {row.state === 'refused' ? (
                          <span className="error">
                            <span className="badge defect">{row.code}</span>{' '}
                            {row.message && <span className={styles.message}>{row.message}</span>}
                          </span>
                        ) : row.state === 'queued' ? (
                          <span className="badge good">ok</span>
                        ) : (
                          <span className="muted">{row.state}…</span>
                        )}
                      </td>
                      <td>
                        {row.inspectionId && (
                          <span className="row">
                            {outcome?.status === 'COMPLETED' ? (
                              <>
                                <span className={`badge ${outcome.verdict ?? ''}`}>
                                  {outcome.verdict}
                                </span>
                                <span className="mono">{formatScore(outcome.score)}</span>
                              </>
                            ) : (
                              <span className={`badge ${outcome?.status ?? 'PENDING'}`}>
                                {outcome?.status ?? 'PENDING'}
                              </span>
                            )}
                            <Link href={`/inspections/${row.inspectionId}`}>
                              Open<span className="sr-only"> {row.name}</span>
                            </Link>
                          </span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
