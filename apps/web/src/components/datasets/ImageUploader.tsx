'use client';
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { graphql } from '@/gql';
import type { ImageLabel } from '@/gql/graphql';
import { errorMessage, upload } from '@/lib/client';
import { ApiError } from '@/lib/errors';
import { IMAGE_LABELS, LABEL_TEXT } from './labels';
import styles from './datasets.module.css';

// One file per request: each file gets its own progress and its own outcome, and one bad or
// oversized file (which the multipart layer may refuse as a whole request) never costs the others.
const UploadDatasetImage = graphql(`
  mutation UploadDatasetImage($datasetId: ID!, $files: [Upload!]!, $label: ImageLabel) {
    uploadImages(datasetId: $datasetId, files: $files, label: $label) {
      ok
      fileName
      error {
        code
        message
      }
      image {
        id
      }
      duplicateOf {
        id
        originalName
      }
    }
  }
`);

/** Files in flight at once. */
const CONCURRENCY = 3;

type UploadStatus = 'queued' | 'uploading' | 'uploaded' | 'duplicate' | 'rejected';

interface UploadItem {
  readonly id: number;
  readonly file: File;
  readonly label: ImageLabel;
  readonly status: UploadStatus;
  /** 0 to 1: bytes sent. */
  readonly progress: number;
  readonly code?: string;
  readonly message?: string;
}

const pending = (item: UploadItem) => item.status === 'queued' || item.status === 'uploading';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ImageUploader({
  datasetId,
  onBatchDone,
}: {
  datasetId: string;
  /** Called when the last file in flight finishes, with the number of images added. */
  onBatchDone: (uploaded: number) => void;
}) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [label, setLabel] = useState<ImageLabel>('GOOD');
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const queue = useRef<UploadItem[]>([]);
  const active = useRef(0);
  const nextId = useRef(1);

  const uploaded = items.filter((i) => i.status === 'uploaded').length;
  const duplicates = items.filter((i) => i.status === 'duplicate').length;
  const rejected = items.filter((i) => i.status === 'rejected').length;
  const waiting = items.filter(pending).length;
  const busy = waiting > 0;

  // A batch ends when nothing is queued or in flight: then the thumbnails and counts reload.
  const batch = useRef({ busy: false, uploadedBefore: 0 });
  useEffect(() => {
    if (busy && !batch.current.busy) batch.current = { busy: true, uploadedBefore: uploaded };
    if (!busy && batch.current.busy) {
      const added = uploaded - batch.current.uploadedBefore;
      batch.current = { busy: false, uploadedBefore: uploaded };
      onBatchDone(added);
    }
  }, [busy, uploaded, onBatchDone]);

  function update(id: number, patch: Partial<UploadItem>) {
    setItems((prev) => prev.map((i) => (i.id === id ? { ...i, ...patch } : i)));
  }

  async function send(item: UploadItem): Promise<void> {
    update(item.id, { status: 'uploading' });
    try {
      const { uploadImages } = await upload(
        UploadDatasetImage,
        { datasetId, files: [item.file], label: item.label },
        [{ path: 'variables.files.0', file: item.file }],
        (fraction) => update(item.id, { progress: fraction }),
      );
      const result = uploadImages[0];
      if (result?.ok) {
        update(item.id, { status: 'uploaded', progress: 1 });
      } else if (result?.error?.code === 'DUPLICATE') {
        const of = result.duplicateOf?.originalName;
        update(item.id, {
          status: 'duplicate',
          progress: 1,
          code: 'DUPLICATE',
          message: of ? `${result.error.message} (${of})` : result.error.message,
        });
      } else {
        update(item.id, {
          status: 'rejected',
          code: result?.error?.code ?? 'REJECTED',
          message: result?.error?.message ?? 'the API did not accept the file',
        });
      }
    } catch (error) {
      update(item.id, {
        status: 'rejected',
        code: error instanceof ApiError ? (error.reason ?? error.code) : 'ERROR',
        message: errorMessage(error),
      });
    }
  }

  function pump() {
    while (active.current < CONCURRENCY && queue.current.length > 0) {
      const item = queue.current.shift()!;
      active.current += 1;
      void send(item).finally(() => {
        active.current -= 1;
        pump();
      });
    }
  }

  function enqueue(files: FileList | File[] | null) {
    const list = Array.from(files ?? []);
    if (list.length === 0) return;
    const added = list.map<UploadItem>((file) => ({
      id: nextId.current++,
      file,
      label,
      status: 'queued',
      progress: 0,
    }));
    setItems((prev) => [...prev, ...added]);
    queue.current.push(...added);
    pump();
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    enqueue(e.dataTransfer.files);
  }

  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">Add images</h2>
      <fieldset className={styles.labels}>
        <legend>Label of the images you add</legend>
        {IMAGE_LABELS.map((l) => (
          <label key={l} className={styles.radio}>
            <input
              type="radio"
              name="upload-label"
              value={l}
              checked={label === l}
              onChange={() => setLabel(l)}
            />
            {LABEL_TEXT[l]}
          </label>
        ))}
      </fieldset>
      <div
        className={`${styles.dropzone} ${dragging ? styles.dragging : ''}`}
        data-testid="dropzone"
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <p>
          Drop images here (PNG, JPEG, BMP, TIFF or WebP), or{' '}
          <button type="button" className="primary" onClick={() => input.current?.click()}>
            Choose files…
          </button>
        </p>
        <p className="muted">
          They are added as <strong>{LABEL_TEXT[label].toLowerCase()}</strong>, {CONCURRENCY} at a
          time. Files the API refuses are listed with the reason; the others still go in.
        </p>
        <label htmlFor={inputId} className="sr-only">
          Image files
        </label>
        <input
          id={inputId}
          ref={input}
          type="file"
          multiple
          accept="image/*"
          className="sr-only"
          tabIndex={-1}
          onChange={(e) => {
            enqueue(e.target.files);
            e.target.value = '';
          }}
        />
      </div>

      <div className="spread">
        <p role="status" className={styles.summary} data-testid="upload-summary">
          {items.length === 0
            ? ''
            : busy
              ? `Uploading ${plural(items.length, 'file')}…`
              : `${uploaded} uploaded, ${plural(duplicates, 'duplicate')}, ${rejected} rejected.`}
        </p>
        {items.length > 0 && (
          <div className="row">
            {busy && (
              <span className="muted">
                {items.length - waiting} of {items.length} done
              </span>
            )}
            <button
              type="button"
              onClick={() => setItems((prev) => prev.filter(pending))}
              disabled={items.every(pending)}
            >
              Clear finished
            </button>
          </div>
        )}
      </div>

      {items.length > 0 && (
        <ol className={styles.uploads} aria-label="Uploads">
          {items.map((item) => (
            <UploadRow key={item.id} item={item} />
          ))}
        </ol>
      )}
    </section>
  );
}

const STATUS_TEXT: Record<UploadStatus, string> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  uploaded: 'Uploaded',
  duplicate: 'Duplicate',
  rejected: 'Rejected',
};

const STATUS_BADGE: Record<UploadStatus, string> = {
  queued: '',
  uploading: 'warn',
  uploaded: 'good',
  duplicate: 'warn',
  rejected: 'defect',
};

function UploadRow({ item }: { item: UploadItem }) {
  const percent = Math.round(item.progress * 100);
  const checking = item.status === 'uploading' && item.progress >= 1;
  return (
    <li className={styles.upload} data-status={item.status} data-file={item.file.name}>
      <span className={styles.fileName} title={item.file.name}>
        {item.file.name}
      </span>
      <span className="muted">{formatBytes(item.file.size)}</span>
      <div
        className="progress"
        role="progressbar"
        aria-label={`${item.file.name} upload`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
      <span className={`badge ${STATUS_BADGE[item.status]}`}>
        {checking ? 'Checking' : STATUS_TEXT[item.status]}
      </span>
      {item.code && (
        <span className={styles.reason}>
          <code>{item.code}</code> {item.message}
        </span>
      )}
    </li>
  );
}
