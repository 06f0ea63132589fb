import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { InspectionDetailViewer } from '@/components/inspections/InspectionDetailViewer';
import { formatScore, reviewLabel, shortId, thresholdRatio } from '@/components/inspections/format';
import { productModelOptions } from '@/components/inspections/productModels';
import { Time } from '@/components/inspections/Time';
import { ReviewForm } from '@/components/review/ReviewForm';
import { graphql } from '@/gql';
import { ApiError } from '@/lib/errors';
import { query } from '@/lib/server';
import styles from './detail.module.css';

export const metadata: Metadata = { title: 'Inspection · PaDiM inspection' };
export const dynamic = 'force-dynamic';

const InspectionDetail = graphql(`
  query InspectionDetail($id: ID!) {
    viewer {
      role
    }
    inspection(id: $id) {
      ...InspectionViewFields
    }
  }
`);

const REVIEW_ROLES = new Set(['OWNER', 'ADMIN', 'ENGINEER', 'INSPECTOR']);

export default async function InspectionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [data, productModels] = await Promise.all([
    query(InspectionDetail, { id }).catch((error: unknown) => {
      if (error instanceof ApiError && ['NOT_FOUND', 'BAD_USER_INPUT'].includes(error.code))
        notFound();
      throw error;
    }),
    productModelOptions(),
  ]);
  const inspection = data.inspection;
  const model =
    productModels.find((p) => p.id === inspection.productModelId)?.label ??
    shortId(inspection.productModelId);
  const review = inspection.review;
  const ratio = thresholdRatio(inspection.score, inspection.thresholdValue);
  const canReview =
    data.viewer.role != null &&
    REVIEW_ROLES.has(data.viewer.role) &&
    inspection.status === 'COMPLETED' &&
    !review?.absorbedIntoVersionId;

  return (
    <div className={styles.page}>
      <nav aria-label="Breadcrumb" className={styles.crumbs}>
        <Link href="/inspections">Inspections</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page" className="mono">
          {shortId(inspection.id)}
        </span>
      </nav>
      <div className="spread">
        <h1>
          Inspection <span className="mono">{shortId(inspection.id)}</span>{' '}
          {inspection.status === 'COMPLETED' && inspection.verdict ? (
            <span className={`badge ${inspection.verdict}`}>{inspection.verdict}</span>
          ) : (
            <span className={`badge ${inspection.status}`}>{inspection.status}</span>
          )}
        </h1>
      </div>
      <div className={styles.layout}>
        <section aria-label="Image" className={styles.main}>
          <InspectionDetailViewer
            inspection={inspection}
            alt={`Inspected part, ${model}, score ${formatScore(inspection.score)}`}
          />
          <p className="muted">
            Shortcuts: <kbd>H</kbd> heatmap on / off, <kbd>B</kbd> region boxes on / off.
          </p>
        </section>
        <aside className={styles.side}>
          <section className="card" aria-labelledby="facts-title">
            <h2 id="facts-title">Result</h2>
            <dl className="facts">
              <dt>Score</dt>
              <dd>
                <strong>{formatScore(inspection.score)}</strong>
                {ratio && <span className="muted"> · {ratio}</span>}
              </dd>
              <dt>Threshold</dt>
              <dd>{formatScore(inspection.thresholdValue)}</dd>
              <dt>Status</dt>
              <dd>{inspection.status.toLowerCase()}</dd>
              {inspection.error && (
                <>
                  <dt>Error</dt>
                  <dd className="error">{inspection.error}</dd>
                </>
              )}
              <dt>Product model</dt>
              <dd>
                <Link href={`/models/${inspection.productModelId}`}>{model}</Link> ·{' '}
                <Link href={`/inspections?productModelId=${inspection.productModelId}`}>
                  its inspections
                </Link>
              </dd>
              <dt>Model version</dt>
              <dd>{inspection.modelVersion ? `v${inspection.modelVersion.version}` : '—'}</dd>
              <dt>Source</dt>
              <dd>{inspection.source || '—'}</dd>
              <dt>Inspected</dt>
              <dd>
                <Time value={inspection.createdAt} />
              </dd>
              <dt>Completed</dt>
              <dd>
                <Time value={inspection.completedAt} />
              </dd>
              {inspection.batchId && (
                <>
                  <dt>Batch</dt>
                  <dd>
                    <Link
                      href={`/inspections?batchId=${encodeURIComponent(inspection.batchId)}`}
                      className="mono"
                    >
                      {shortId(inspection.batchId)}
                    </Link>
                  </dd>
                </>
              )}
              {inspection.imageWidth != null && (
                <>
                  <dt>Image</dt>
                  <dd>
                    {inspection.imageWidth}×{inspection.imageHeight} px
                  </dd>
                </>
              )}
            </dl>
          </section>
          <section className="card" aria-labelledby="review-title">
            <h2 id="review-title">Review</h2>
            {review ? (
              <div className={styles.review}>
                <p>
                  <span className={`badge ${review.verdict}`}>{reviewLabel(review.verdict)}</span>{' '}
                  by {review.reviewer?.name ?? 'a former member'}, <Time value={review.updatedAt} />
                </p>
                {review.note && <blockquote>{review.note}</blockquote>}
                {review.absorbedIntoVersionId && (
                  <p className="muted">Folded into a model version: this review is final.</p>
                )}
              </div>
            ) : (
              <p className="muted">
                {inspection.status === 'COMPLETED'
                  ? 'Not reviewed yet.'
                  : 'Reviews come after the inspection completes.'}
              </p>
            )}
            {canReview && (
              <ReviewForm
                inspectionId={inspection.id}
                productModelId={inspection.productModelId}
                current={review ? { verdict: review.verdict, note: review.note } : null}
              />
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}
