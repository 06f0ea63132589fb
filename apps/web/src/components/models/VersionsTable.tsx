import Link from 'next/link';
import type { ModelVersionFieldsFragment } from '@/gql/graphql';
import { backboneLabel, formatBytes, formatDateTime } from './format';
import styles from './models.module.css';
import { PromoteButton } from './PromoteButton';

export type VersionRow = ModelVersionFieldsFragment;

export interface SnapshotInfo {
  readonly datasetId: string;
  readonly datasetName: string;
  readonly imageCount: number;
  readonly createdAt: string;
}

/** Every version of a product model with its lineage, training settings and size. */
export function VersionsTable({
  productModelId,
  versions,
  snapshots,
  selectedId,
  canManage,
}: {
  productModelId: string;
  versions: readonly VersionRow[];
  snapshots: ReadonlyMap<string, SnapshotInfo>;
  selectedId: string | null;
  canManage: boolean;
}) {
  return (
    <div className={styles.tableWrap} role="region" aria-label="Model versions" tabIndex={0}>
      <table className={styles.wide}>
        <caption className="sr-only">
          Model versions, newest first, with lineage and training settings
        </caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Backbone and weights</th>
            <th scope="col">d · seed</th>
            <th scope="col">Trained on</th>
            <th scope="col">Parent</th>
            <th scope="col" className={styles.num}>
              Reviews absorbed
            </th>
            <th scope="col">Created · ready</th>
            <th scope="col" className={styles.num}>
              Memory
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => {
            const snap = v.snapshotId ? snapshots.get(v.snapshotId) : undefined;
            const selected = v.id === selectedId;
            return (
              <tr key={v.id} className={selected ? styles.selected : undefined}>
                <th scope="row">
                  <span className="row">
                    <span>v{v.version}</span>
                    {v.isActive && <span className="badge good">active</span>}
                  </span>
                </th>
                <td>
                  <span className={`badge ${v.status}`}>{v.status}</span>
                </td>
                <td>
                  {backboneLabel(v.backbone)}
                  <br />
                  {v.weightsSha256 ? (
                    <span className="muted mono" title={`weights sha256 ${v.weightsSha256}`}>
                      ImageNet · {v.weightsSha256.slice(0, 8)}
                    </span>
                  ) : (
                    <span className="badge warn" title="Seeded random-init weights">
                      Random init — demo only, not for real use
                    </span>
                  )}
                </td>
                <td className="mono">
                  {v.d} · {v.seed}
                </td>
                <td>
                  {snap ? (
                    <>
                      <Link href={`/datasets/${snap.datasetId}`}>{snap.datasetName}</Link>
                      <br />
                      <span className="muted">
                        snapshot of {snap.imageCount} images, {formatDateTime(snap.createdAt)}
                      </span>
                    </>
                  ) : v.snapshotId ? (
                    <span className="mono muted">snapshot {v.snapshotId.slice(0, 8)}</span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                  {v.trainedImageCount > 0 && (
                    <>
                      <br />
                      <span className="muted">{v.trainedImageCount} images fitted</span>
                    </>
                  )}
                </td>
                <td>{v.parentVersion ? `v${v.parentVersion.version}` : '—'}</td>
                <td className={styles.num}>{v.absorbedReviewsCount}</td>
                <td>
                  {formatDateTime(v.createdAt)}
                  <br />
                  <span className="muted">
                    {v.readyAt ? `ready ${formatDateTime(v.readyAt)}` : 'not ready'}
                  </span>
                </td>
                <td className={styles.num}>{formatBytes(v.memoryBytes)}</td>
                <td>
                  <span className="row">
                    {selected ? (
                      <span className="muted" aria-current="true">
                        shown below
                      </span>
                    ) : (
                      <Link
                        href={`/models/${productModelId}?version=${v.id}#selected-title`}
                        aria-label={`Show version ${v.version}`}
                      >
                        Show
                      </Link>
                    )}
                    {canManage && v.status === 'READY' && !v.isActive && (
                      <PromoteButton versionId={v.id} version={v.version} />
                    )}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
