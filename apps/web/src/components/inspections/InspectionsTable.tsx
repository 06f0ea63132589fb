import Link from 'next/link';
import type { InspectionsListQuery } from '@/gql/graphql';
import { formatScore, reviewLabel, shortId } from './format';
import { Time } from './Time';
import styles from './InspectionsTable.module.css';

type Row = InspectionsListQuery['inspections']['edges'][number]['node'];

export function InspectionsTable({
  rows,
  productModels,
}: {
  rows: Row[];
  productModels: Record<string, string>;
}) {
  return (
    <div className={styles.wrap}>
      <table className={styles.table}>
        <caption className="sr-only">Inspections, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Image</th>
            <th scope="col">Time</th>
            <th scope="col">Product model</th>
            <th scope="col" className={styles.num}>
              Score
            </th>
            <th scope="col">Verdict</th>
            <th scope="col">Reviewed</th>
            <th scope="col">
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const model = productModels[r.productModelId] ?? shortId(r.productModelId);
            return (
              <tr key={r.id}>
                <td className={styles.thumbCell}>
                  {/* A presigned URL: plain <img>, no optimiser in between. */}
                  <img
                    className={styles.thumb}
                    src={r.imageUrl}
                    alt={`Inspected part ${shortId(r.id)}`}
                    width={56}
                    height={56}
                    loading="lazy"
                    decoding="async"
                  />
                </td>
                <td>
                  <Time value={r.createdAt} />
                  {r.source && <div className={`muted ${styles.sub}`}>{r.source}</div>}
                </td>
                <td>
                  {model}
                  {r.modelVersion && (
                    <div className={`muted ${styles.sub}`}>v{r.modelVersion.version}</div>
                  )}
                </td>
                <td className={styles.num}>
                  <span className="mono">{formatScore(r.score)}</span>
                  {r.thresholdValue != null && (
                    <div className={`muted ${styles.sub}`}>
                      threshold {formatScore(r.thresholdValue)}
                    </div>
                  )}
                </td>
                <td>
                  {r.status === 'COMPLETED' && r.verdict ? (
                    <span className={`badge ${r.verdict}`}>{r.verdict}</span>
                  ) : (
                    <span className={`badge ${r.status}`}>{r.status}</span>
                  )}
                </td>
                <td>
                  {r.review ? (
                    <>
                      <span className={`badge ${r.review.verdict}`}>
                        {reviewLabel(r.review.verdict)}
                      </span>
                      {r.review.reviewer && (
                        <div className={`muted ${styles.sub}`}>{r.review.reviewer.name}</div>
                      )}
                    </>
                  ) : (
                    <span className="muted">No</span>
                  )}
                </td>
                <td>
                  <Link href={`/inspections/${r.id}`}>
                    Open<span className="sr-only"> inspection {shortId(r.id)}</span>
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
