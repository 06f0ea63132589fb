'use client';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { DateTime } from '@/components/settings/DateTime';
import { graphql } from '@/gql';
import type { DatasetSnapshotsPageQuery } from '@/gql/graphql';
import { errorMessage, mutate, request } from '@/lib/client';
import styles from './datasets.module.css';

const DatasetSnapshotsPage = graphql(`
  query DatasetSnapshotsPage($datasetId: ID!, $first: Int, $after: String) {
    datasetSnapshots(datasetId: $datasetId, first: $first, after: $after) {
      edges {
        node {
          id
          name
          imageCount
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

const TakeDatasetSnapshot = graphql(`
  mutation TakeDatasetSnapshot($input: CreateDatasetSnapshotInput!) {
    createDatasetSnapshot(input: $input) {
      id
      name
      imageCount
      createdAt
    }
  }
`);

const PAGE_SIZE = 20;

type Snapshot = DatasetSnapshotsPageQuery['datasetSnapshots']['edges'][number]['node'];

/** The dataset's snapshots (what models train on), newest first, and "Take snapshot". */
export function DatasetSnapshots({ datasetId, canEdit }: { datasetId: string; canEdit: boolean }) {
  const noteId = useId();
  const [snapshots, setSnapshots] = useState<Snapshot[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [taking, setTaking] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function load(after: string | null) {
    setLoading(true);
    setLoadError(null);
    try {
      const { datasetSnapshots } = await request(DatasetSnapshotsPage, {
        datasetId,
        first: PAGE_SIZE,
        after,
      });
      const nodes = datasetSnapshots.edges.map((e) => e.node);
      setSnapshots((prev) => (after ? [...prev, ...nodes] : nodes));
      setNext(datasetSnapshots.pageInfo.hasNextPage ? datasetSnapshots.pageInfo.endCursor : null);
    } catch (error) {
      setLoadError(errorMessage(error));
    } finally {
      setLoading(false);
    }
  }

  // Once per dataset (load only reads datasetId).
  useEffect(() => {
    void load(null);
  }, [datasetId]);

  async function take(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setTaking(true);
    setResult(null);
    try {
      const { createDatasetSnapshot: snapshot } = await mutate(TakeDatasetSnapshot, {
        input: { datasetId, name: note.trim() || null },
      });
      setSnapshots((prev) => [snapshot, ...prev]);
      setNote('');
      setResult({
        ok: true,
        text: `Snapshot taken: ${snapshot.imageCount} image${snapshot.imageCount === 1 ? '' : 's'}.`,
      });
    } catch (error) {
      setResult({ ok: false, text: `The snapshot was not taken: ${errorMessage(error)}` });
    } finally {
      setTaking(false);
    }
  }

  return (
    <section className="card" aria-labelledby="snapshots-title" aria-busy={loading}>
      <h2 id="snapshots-title">Snapshots</h2>
      <p className="muted">
        A snapshot freezes the current images and labels; a model version trains on one, so its
        training data never changes underneath it.
      </p>
      {canEdit && (
        <form className={styles.snapshotForm} onSubmit={take}>
          <label htmlFor={noteId}>
            Note (optional)
            <input
              id={noteId}
              value={note}
              maxLength={200}
              placeholder="e.g. after relabelling batch 12"
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={taking}>
            {taking ? 'Taking snapshot…' : 'Take snapshot'}
          </button>
        </form>
      )}
      <div aria-live="polite">
        {result && (
          <p role={result.ok ? 'status' : 'alert'} className={result.ok ? '' : 'error'}>
            {result.text}
          </p>
        )}
      </div>
      {loadError && (
        <p role="alert" className="error">
          The snapshots could not be loaded: {loadError}{' '}
          <button type="button" onClick={() => void load(null)}>
            Retry
          </button>
        </p>
      )}
      {!loading && !loadError && snapshots.length === 0 && (
        <p className={styles.empty}>No snapshots yet.</p>
      )}
      {snapshots.length > 0 && (
        <div className={styles.tableWrap}>
          <table data-testid="snapshots">
            <caption className="sr-only">Snapshots of this dataset, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Taken</th>
                <th scope="col">Note</th>
                <th scope="col">Images</th>
                <th scope="col">Id</th>
              </tr>
            </thead>
            <tbody>
              {snapshots.map((s) => (
                <tr key={s.id}>
                  <td>
                    <DateTime value={s.createdAt} />
                  </td>
                  <td>{s.name ?? <span className="muted">—</span>}</td>
                  <td>{s.imageCount}</td>
                  <td className="mono" title={s.id}>
                    {s.id.slice(-8)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loading && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading snapshots…
        </p>
      )}
      {next && !loading && (
        <button type="button" onClick={() => void load(next)}>
          Show older snapshots
        </button>
      )}
    </section>
  );
}
