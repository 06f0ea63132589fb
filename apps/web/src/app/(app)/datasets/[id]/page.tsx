import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { DatasetWorkspace } from '@/components/datasets/DatasetWorkspace';
import { DatasetSnapshots } from '@/components/datasets/DatasetSnapshots';
import { DateTime } from '@/components/settings/DateTime';
import { graphql } from '@/gql';
import { ApiError } from '@/lib/errors';
import { query } from '@/lib/server';
import styles from './dataset.module.css';

const DatasetPageQuery = graphql(`
  query DatasetPage($id: ID!) {
    viewer {
      role
    }
    dataset(id: $id) {
      id
      name
      description
      productModelId
      createdAt
      updatedAt
    }
  }
`);

const DatasetProductModelQuery = graphql(`
  query DatasetProductModel($id: ID!) {
    productModel(id: $id) {
      id
      name
      cameraPose
    }
  }
`);

const DatasetImageCountQuery = graphql(`
  query DatasetImageCount($id: ID!) {
    dataset(id: $id) {
      imageCounts {
        total
        good
        defect
        unknown
      }
    }
  }
`);

/** Roles that may upload images and take snapshots (MANAGE_DATASETS). */
const EDITORS = new Set(['OWNER', 'ADMIN', 'ENGINEER']);

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let data;
  try {
    data = await query(DatasetPageQuery, { id });
  } catch (error) {
    if (error instanceof ApiError && ['NOT_FOUND', 'BAD_USER_INPUT'].includes(error.code))
      notFound();
    throw error;
  }
  const { dataset, viewer } = data;
  const productModel = await query(DatasetProductModelQuery, { id: dataset.productModelId })
    .then((r) => r.productModel)
    .catch(() => null);
  const canEdit = EDITORS.has(viewer.role ?? '');

  return (
    <>
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href={`/models/${dataset.productModelId}`}>
          {productModel ? `${productModel.name} (${productModel.cameraPose})` : 'Product model'}
        </Link>
        <span aria-hidden="true"> / </span>
        <span>Datasets</span>
      </nav>
      <section className="card" aria-labelledby="dataset-title">
        <div className="spread">
          <div>
            <h1 id="dataset-title">{dataset.name}</h1>
            {dataset.description && <p className={styles.description}>{dataset.description}</p>}
          </div>
          <dl className={styles.facts}>
            <div>
              <dt>Product model</dt>
              <dd>
                <Link href={`/models/${dataset.productModelId}`}>
                  {productModel?.name ?? dataset.productModelId}
                </Link>
              </dd>
            </div>
            <div>
              <dt>Images</dt>
              <dd>
                <Suspense fallback={<span className="muted">counting…</span>}>
                  <ImageCount datasetId={dataset.id} />
                </Suspense>
              </dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>
                <DateTime value={dataset.createdAt} />
              </dd>
            </div>
          </dl>
        </div>
        {!canEdit && (
          <p className="muted">
            Your role can look at this dataset; engineers and administrators can add images and take
            snapshots.
          </p>
        )}
      </section>
      <DatasetWorkspace datasetId={dataset.id} canEdit={canEdit} />
      <DatasetSnapshots datasetId={dataset.id} canEdit={canEdit} />
    </>
  );
}

/** The number of images, by label. */
async function ImageCount({ datasetId }: { datasetId: string }) {
  let counts: { total: number; good: number; defect: number; unknown: number };
  try {
    counts = (await query(DatasetImageCountQuery, { id: datasetId })).dataset.imageCounts;
  } catch {
    // The count is a convenience: the rest of the page stays usable without it.
    return <span className="muted">unknown (the count could not be loaded)</span>;
  }
  return (
    <span data-testid="image-count">
      <strong>{counts.total.toLocaleString('en')}</strong>{' '}
      <span className="muted">
        ({counts.good} good, {counts.defect} defect, {counts.unknown} unknown)
      </span>
    </span>
  );
}
