import Link from 'next/link';
import { graphql } from '@/gql';
import { query } from '@/lib/server';
import { formatDateTime, weightsLabel } from '@/components/models/format';
import styles from './projects.module.css';

const OverviewModelVersions = graphql(`
  query OverviewModelVersions($productModelId: ID!) {
    modelVersions(productModelId: $productModelId, first: 50) {
      edges {
        node {
          id
          version
          status
          isActive
          weightsSha256
        }
      }
    }
  }
`);

export interface ProductModelSummary {
  readonly id: string;
  readonly name: string;
  readonly cameraPose: string;
  readonly activity: {
    readonly inspectionsToday: number;
    readonly flaggedToday: number;
    readonly unreviewedFlagged: number;
    readonly lastInspectionAt: string | null;
  };
}

/**
 * The product models of one project with their active version and today's activity. A server
 * component: it reads each model's versions (newest first) to find the active one and any newer
 * version still in training.
 */
export async function ProductModelTable({
  productModels,
  caption,
}: {
  productModels: readonly ProductModelSummary[];
  caption: string;
}) {
  if (productModels.length === 0)
    return <p className="muted">No product models yet: create one below.</p>;
  const versions = await Promise.all(
    productModels.map((pm) =>
      query(OverviewModelVersions, { productModelId: pm.id }).then((r) =>
        r.modelVersions.edges.map((e) => e.node),
      ),
    ),
  );
  return (
    <div className={styles.tableWrap} role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Product model</th>
            <th scope="col">Camera pose</th>
            <th scope="col">Active version</th>
            <th scope="col" className={styles.num}>
              Inspected today
            </th>
            <th scope="col" className={styles.num}>
              Flagged today
            </th>
            <th scope="col" className={styles.num}>
              Unreviewed
            </th>
            <th scope="col">Last inspection</th>
          </tr>
        </thead>
        <tbody>
          {productModels.map((pm, i) => {
            const list = versions[i]!;
            const active = list.find((v) => v.isActive);
            const newest = list[0];
            const pending =
              newest && newest !== active && newest.status !== 'READY' ? newest : null;
            return (
              <tr key={pm.id}>
                <th scope="row">
                  <Link href={`/models/${pm.id}`}>{pm.name}</Link>
                </th>
                <td>{pm.cameraPose}</td>
                <td>
                  {active ? (
                    <span className="row">
                      <span>v{active.version}</span>
                      <span className={`badge ${active.status}`}>{active.status}</span>
                      {!active.weightsSha256 && (
                        <span className="badge warn" title={weightsLabel(null)}>
                          demo weights
                        </span>
                      )}
                    </span>
                  ) : (
                    <span className="muted">none yet</span>
                  )}
                  {pending && (
                    <span className="row muted">
                      v{pending.version}{' '}
                      <span className={`badge ${pending.status}`}>{pending.status}</span>
                    </span>
                  )}
                </td>
                <td className={styles.num}>{pm.activity.inspectionsToday}</td>
                <td className={styles.num}>
                  <span className={pm.activity.flaggedToday > 0 ? styles.flagged : undefined}>
                    {pm.activity.flaggedToday}
                  </span>
                </td>
                <td className={styles.num}>{pm.activity.unreviewedFlagged}</td>
                <td>{formatDateTime(pm.activity.lastInspectionAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
