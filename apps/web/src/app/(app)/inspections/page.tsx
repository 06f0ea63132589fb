import type { Metadata } from 'next';
import Link from 'next/link';
import { BulkInspect } from '@/components/inspections/BulkInspect';
import { InspectionFilters } from '@/components/inspections/InspectionFilters';
import { InspectionsTable } from '@/components/inspections/InspectionsTable';
import { listHref, parseFilters, type SearchParams } from '@/components/inspections/filters';
import { productModelOptions } from '@/components/inspections/productModels';
import { graphql } from '@/gql';
import type { InspectionsListQuery } from '@/gql/graphql';
import { ApiError } from '@/lib/errors';
import { query } from '@/lib/server';
import styles from './inspections.module.css';

export const metadata: Metadata = { title: 'Inspections · PaDiM inspection' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 25;

const InspectionsList = graphql(`
  query InspectionsList($filter: InspectionFilter, $after: String, $first: Int) {
    inspections(filter: $filter, after: $after, first: $first) {
      edges {
        node {
          id
          createdAt
          productModelId
          status
          score
          thresholdValue
          verdict
          imageUrl
          source
          modelVersion {
            id
            version
          }
          review {
            id
            verdict
            reviewer {
              id
              name
            }
          }
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

export default async function InspectionsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const { values, filter, after, problems } = parseFilters(await searchParams);
  const [productModels, listed] = await Promise.all([
    productModelOptions(),
    query(InspectionsList, { filter, after, first: PAGE_SIZE }).then(
      (data): { data: InspectionsListQuery; refused: null } => ({ data, refused: null }),
      (error: unknown) => {
        // A filter the API refuses (a stale cursor, a bad value) is the reader's to fix, not a crash.
        if (error instanceof ApiError && error.code === 'BAD_USER_INPUT')
          return { data: null, refused: error.message };
        throw error;
      },
    ),
  ]);
  const names = Object.fromEntries(productModels.map((p) => [p.id, p.label]));
  const page = listed.data?.inspections;
  const filtered = Object.values(values).some(Boolean);

  return (
    <div className={styles.page}>
      <div className="spread">
        <h1>Inspections</h1>
        <div className="row">
          <a href="#inspect" className="button">
            Inspect images
          </a>
          <Link href="/review" className="button">
            Review queue
          </Link>
        </div>
      </div>

      <InspectionFilters values={values} productModels={productModels} />

      {problems.length > 0 && (
        <p role="alert" className={`card error ${styles.problems}`}>
          Some filters were ignored: {problems.join('; ')}.
        </p>
      )}

      {values.batchId && (
        <p className={styles.batch}>
          Batch <span className="mono">{values.batchId}</span> ·{' '}
          <Link href={listHref({ ...values, batchId: '' })}>show all batches</Link> ·{' '}
          <Link href={listHref(values, after)}>refresh</Link>
        </p>
      )}

      <section aria-labelledby="results-title" className={styles.results}>
        <h2 id="results-title" className="sr-only">
          Results
        </h2>
        {listed.refused ? (
          <div className="card" role="alert">
            <p className="error">The API refused this search: {listed.refused}</p>
            <Link href="/inspections">Clear the filters</Link>
          </div>
        ) : page && page.edges.length > 0 ? (
          <InspectionsTable rows={page.edges.map((e) => e.node)} productModels={names} />
        ) : (
          <div className="card">
            <p>
              {after
                ? 'No more inspections.'
                : filtered
                  ? 'No inspection matches these filters.'
                  : 'No inspections yet. Inspect images below, or send them from a line camera with an API key.'}
            </p>
          </div>
        )}
        <nav aria-label="Pages" className={styles.pager}>
          {after && <Link href={listHref(values)}>← First page</Link>}
          {page?.pageInfo.hasNextPage && page.pageInfo.endCursor && (
            <Link href={listHref(values, page.pageInfo.endCursor)} className="button">
              Next page →
            </Link>
          )}
        </nav>
      </section>

      <BulkInspect
        id="inspect"
        productModels={productModels}
        defaultProductModelId={values.productModelId || undefined}
      />
    </div>
  );
}
