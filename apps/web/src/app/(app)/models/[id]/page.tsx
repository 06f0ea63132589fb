import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { graphql } from '@/gql';
import type { ModelPageVersionsQuery } from '@/gql/graphql';
import { ApiError } from '@/lib/errors';
import { query } from '@/lib/server';
import { CreateDatasetForm } from '@/components/models/CreateDatasetForm';
import { canManage, formatDateTime } from '@/components/models/format';
import styles from '@/components/models/models.module.css';
import { TrainingPanel } from '@/components/models/TrainingPanel';
import { VersionDetails } from '@/components/models/VersionDetails';
import { VersionsTable, type SnapshotInfo } from '@/components/models/VersionsTable';

export const metadata: Metadata = { title: 'Product model · PaDiM' };

const ModelPage = graphql(`
  query ModelPage($id: ID!) {
    viewer {
      role
    }
    productModel(id: $id) {
      id
      name
      cameraPose
      description
      projectId
      createdAt
      activity {
        inspectionsToday
        flaggedToday
        unreviewedFlagged
        lastInspectionAt
      }
    }
    datasets(productModelId: $id, first: 50) {
      edges {
        node {
          id
          name
          description
          createdAt
        }
      }
    }
    trainingJobs(productModelId: $id, first: 10) {
      edges {
        node {
          ...ModelTrainingJobFields
        }
      }
    }
  }
`);

const ModelPageVersions = graphql(`
  query ModelPageVersions($id: ID!, $first: Int!, $after: String) {
    modelVersions(productModelId: $id, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...ModelVersionFields
        }
      }
    }
  }
`);

const ModelPageOneVersion = graphql(`
  query ModelPageOneVersion($id: ID!) {
    modelVersion(id: $id) {
      ...ModelVersionFields
    }
  }
`);

const ModelPagePendingReviews = graphql(`
  query ModelPagePendingReviews($id: ID!) {
    reviewedFlagged: inspections(
      filter: { productModelId: $id, reviewed: true, verdict: DEFECT }
      first: 100
    ) {
      edges {
        node {
          id
          review {
            verdict
            absorbedIntoVersionId
          }
        }
      }
    }
  }
`);

const ModelPageProject = graphql(`
  query ModelPageProject($id: ID!) {
    project(id: $id) {
      id
      name
    }
  }
`);

const ModelPageSnapshots = graphql(`
  query ModelPageSnapshots($datasetId: ID!) {
    datasetSnapshots(datasetId: $datasetId, first: 100) {
      edges {
        node {
          id
          imageCount
          createdAt
        }
      }
    }
  }
`);

const ModelVersionDetail = graphql(`
  query ModelVersionDetail($versionId: ID!) {
    activeThreshold(modelVersionId: $versionId) {
      id
      value
      method
    }
    thresholds(modelVersionId: $versionId, first: 50) {
      edges {
        node {
          id
          value
          previousValue
          method
          note
          createdAt
          targetFalseAlarmRate
          calibration
          setById
          setBy {
            id
            name
          }
        }
      }
    }
  }
`);

const ModelVersionReviewed = graphql(`
  query ModelVersionReviewed($versionId: ID!) {
    inspections(filter: { modelVersionId: $versionId, reviewed: true }, first: 100) {
      edges {
        node {
          id
          score
          review {
            verdict
          }
        }
      }
    }
  }
`);

/** The active version when it is not on the shown page: walk the pages (rare: many versions). */
async function findActive(productModelId: string) {
  let after: string | null = null;
  for (let i = 0; i < 20; i++) {
    const r: ModelPageVersionsQuery = await query(ModelPageVersions, {
      id: productModelId,
      first: VERSIONS_PAGE,
      after,
    });
    const hit = r.modelVersions.edges.find((e) => e.node.isActive);
    if (hit) return hit.node;
    if (!r.modelVersions.pageInfo.hasNextPage) return null;
    after = r.modelVersions.pageInfo.endCursor ?? null;
  }
  return null;
}

/** Versions per page of the versions table (the API's complexity limit bounds a page). */
const VERSIONS_PAGE = 25;

function missingIsNotFound(error: unknown): never {
  if (error instanceof ApiError && ['NOT_FOUND', 'BAD_USER_INPUT'].includes(error.code)) notFound();
  throw error;
}

export default async function ProductModelPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ version?: string | string[]; versionsAfter?: string | string[] }>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  const wanted = typeof sp.version === 'string' ? sp.version : undefined;
  const after = typeof sp.versionsAfter === 'string' ? sp.versionsAfter : undefined;
  const [data, page, pending] = await Promise.all([
    query(ModelPage, { id }),
    query(ModelPageVersions, { id, first: VERSIONS_PAGE, after }),
    query(ModelPagePendingReviews, { id }).catch(() => null),
  ]).catch(missingIsNotFound);
  const pm = data.productModel;
  const versions = page.modelVersions.edges.map((e) => e.node);
  const datasets = data.datasets.edges.map((e) => e.node);
  const engineer = canManage(data.viewer.role);
  // The active version may be on another page of the table: find it (or the newest) apart.
  const newest = after
    ? (await query(ModelPageVersions, { id, first: 1, after: null })).modelVersions.edges[0]?.node
    : versions[0];
  let active = versions.find((v) => v.isActive) ?? null;
  if (!active && newest && !newest.isActive) active = await findActive(id);
  const chosen =
    versions.find((v) => v.id === wanted) ??
    (wanted
      ? await query(ModelPageOneVersion, { id: wanted })
          .then((r) => (r.modelVersion.productModelId === id ? r.modelVersion : null))
          .catch(() => null)
      : null);
  const selected =
    chosen ?? active ?? versions.find((v) => v.status === 'READY') ?? versions[0] ?? null;
  const ready = selected && ['READY', 'ARCHIVED'].includes(selected.status);

  const [project, snapshotLists, detail, reviewed] = await Promise.all([
    query(ModelPageProject, { id: pm.projectId })
      .then((r) => r.project)
      .catch(() => null),
    Promise.all(
      datasets.map((ds) =>
        query(ModelPageSnapshots, { datasetId: ds.id })
          .then((r) => r.datasetSnapshots.edges.map((e) => ({ ...e.node, dataset: ds })))
          .catch(() => []),
      ),
    ),
    ready ? query(ModelVersionDetail, { versionId: selected.id }) : null,
    ready
      ? query(ModelVersionReviewed, { versionId: selected.id })
          .then((r) =>
            r.inspections.edges
              .map((e) => e.node)
              .filter((i) => i.review?.verdict === 'DEFECT' && i.score !== null)
              .map((i) => i.score!),
          )
          .catch(() => [])
      : [],
  ]);
  const snapshots = new Map<string, SnapshotInfo>(
    snapshotLists.flat().map((s) => [
      s.id,
      {
        datasetId: s.dataset.id,
        datasetName: s.dataset.name,
        imageCount: s.imageCount,
        createdAt: s.createdAt,
      },
    ]),
  );
  const pendingFalsePositives = pending
    ? pending.reviewedFlagged.edges.filter(
        (e) => e.node.review?.verdict === 'GOOD' && !e.node.review.absorbedIntoVersionId,
      ).length
    : null;

  return (
    <>
      <header className={styles.header}>
        <nav aria-label="Breadcrumb" className="muted">
          <Link href="/">Overview</Link>
          {project && (
            <>
              {' / '}
              <Link href={`/projects/${project.id}`}>{project.name}</Link>
            </>
          )}{' '}
          / {pm.name}
        </nav>
        <h1>{pm.name}</h1>
        <div className="row">
          <span>
            Camera pose: <strong>{pm.cameraPose}</strong>
          </span>
          <span>
            Active:{' '}
            {active ? (
              <>
                <strong>v{active.version}</strong>{' '}
                <span className={`badge ${active.status}`}>{active.status}</span>
                {!active.weightsSha256 && (
                  <>
                    {' '}
                    <span className="badge warn">demo weights, not for real use</span>
                  </>
                )}
              </>
            ) : (
              <span className="muted">no version yet</span>
            )}
          </span>
          <span className="muted">
            Today: {pm.activity.inspectionsToday} inspected, {pm.activity.flaggedToday} flagged,{' '}
            {pm.activity.unreviewedFlagged} awaiting review · last inspection{' '}
            {formatDateTime(pm.activity.lastInspectionAt)}
          </span>
        </div>
        {pm.description && <p>{pm.description}</p>}
      </header>

      {versions.length === 0 && !after && (
        <section className="card" aria-labelledby="start-title">
          <h2 id="start-title">Next steps</h2>
          <ol className={styles.list}>
            <li>
              <Link href="#datasets">Create a dataset</Link> for this product model.
            </li>
            <li>
              Open it and upload <strong>good</strong> images of this part from the “{pm.cameraPose}
              ” camera (at least 3; a few dozen is better). Images labelled DEFECT are optional:
              they give the evaluation metrics and the ROC curve.
            </li>
            <li>
              <Link href="#training">Train</Link> a version. The first one becomes active when it is
              ready.
            </li>
          </ol>
        </section>
      )}

      <section aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        {versions.length === 0 ? (
          <p className="muted">No versions yet.</p>
        ) : (
          <div className="card">
            <VersionsTable
              productModelId={pm.id}
              versions={versions}
              snapshots={snapshots}
              selectedId={selected?.id ?? null}
              canManage={engineer}
            />
            {(after || page.modelVersions.pageInfo.hasNextPage) && (
              <p className="row">
                {after && <Link href={`/models/${pm.id}`}>Newest versions</Link>}
                {page.modelVersions.pageInfo.hasNextPage &&
                  page.modelVersions.pageInfo.endCursor && (
                    <Link
                      href={`/models/${pm.id}?versionsAfter=${encodeURIComponent(page.modelVersions.pageInfo.endCursor)}`}
                    >
                      Older versions
                    </Link>
                  )}
              </p>
            )}
          </div>
        )}
      </section>

      {selected && (
        <section aria-labelledby="selected-title">
          <h2 id="selected-title">
            Version {selected.version}
            {selected.isActive ? ' (active)' : ''}
          </h2>
          {detail ? (
            <VersionDetails
              version={selected}
              detail={detail}
              reviewedDefectScores={reviewed}
              canManage={engineer}
            />
          ) : (
            <p className="card muted">
              This version is <span className={`badge ${selected.status}`}>{selected.status}</span>:
              its metrics and threshold appear when it is READY.
            </p>
          )}
        </section>
      )}

      <section id="training" aria-labelledby="training-title">
        <h2 id="training-title">Training</h2>
        <TrainingPanel
          productModelId={pm.id}
          datasets={datasets.map((d) => ({ id: d.id, name: d.name }))}
          jobs={data.trainingJobs.edges.map((e) => e.node)}
          canManage={engineer}
          activeVersion={active ? { id: active.id, version: active.version } : null}
          pendingFalsePositives={pendingFalsePositives}
        />
      </section>

      <section id="datasets" aria-labelledby="datasets-title">
        <h2 id="datasets-title">Datasets</h2>
        <div className={styles.two}>
          <div className="card">
            {datasets.length === 0 ? (
              <p className="muted">No datasets yet.</p>
            ) : (
              <ul className={styles.list} aria-label="Datasets of this product model">
                {datasets.map((ds) => (
                  <li key={ds.id}>
                    <Link href={`/datasets/${ds.id}`}>{ds.name}</Link>{' '}
                    <span className="muted">created {formatDateTime(ds.createdAt)}</span>
                    {ds.description && (
                      <>
                        <br />
                        <span className="muted">{ds.description}</span>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
          {engineer && (
            <div className="card">
              <CreateDatasetForm productModelId={pm.id} />
            </div>
          )}
        </div>
      </section>
    </>
  );
}
