import type { Metadata } from 'next';
import { ReviewQueue, type QueueEntry } from '@/components/review/ReviewQueue';
import { productModelOptions } from '@/components/inspections/productModels';
import { graphql } from '@/gql';
import type { InspectionViewFieldsFragment, ReviewQueueIdsQuery } from '@/gql/graphql';
import { query } from '@/lib/server';

export const metadata: Metadata = { title: 'Review queue · PaDiM inspection' };
export const dynamic = 'force-dynamic';

const ReviewQueueIds = graphql(`
  query ReviewQueueIds($after: String) {
    viewer {
      role
    }
    inspections(
      filter: { verdict: DEFECT, reviewed: false, status: COMPLETED }
      first: 100
      after: $after
    ) {
      edges {
        node {
          id
          createdAt
          productModelId
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

const ReviewQueueFirst = graphql(`
  query ReviewQueueFirst($id: ID!) {
    inspection(id: $id) {
      ...InspectionViewFields
    }
  }
`);

/** The API lists newest first; the queue is oldest first, so it reads ids (cheap) to the end. */
const MAX_PAGES = 10;
const REVIEW_ROLES = new Set(['OWNER', 'ADMIN', 'ENGINEER', 'INSPECTOR']);

export default async function ReviewPage() {
  const newestFirst: QueueEntry[] = [];
  let after: string | null = null;
  let more = false;
  let role: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data: ReviewQueueIdsQuery = await query(ReviewQueueIds, { after });
    role = data.viewer.role;
    for (const { node } of data.inspections.edges) newestFirst.push(node);
    more = data.inspections.pageInfo.hasNextPage;
    if (!more) break;
    after = data.inspections.pageInfo.endCursor;
  }
  const queue = newestFirst.reverse();
  const [productModels, first] = await Promise.all([
    productModelOptions(),
    queue[0]
      ? query(ReviewQueueFirst, { id: queue[0].id }).then(
          (r): InspectionViewFieldsFragment | null => r.inspection,
          // Gone meanwhile: the queue loads it (and reports it) in the browser.
          () => null,
        )
      : Promise.resolve(null),
  ]);
  return (
    <ReviewQueue
      initial={queue}
      first={first}
      productModels={Object.fromEntries(productModels.map((p) => [p.id, p.label]))}
      canReview={role != null && REVIEW_ROLES.has(role)}
      truncatedAt={more ? newestFirst.length : null}
    />
  );
}
