import { graphql } from '@/gql';

export const ReviewVerdict = graphql(`
  mutation ReviewVerdict($input: ReviewInspectionInput!) {
    reviewInspection(input: $input) {
      id
      inspectionId
      verdict
      note
      updatedAt
      absorbedIntoVersionId
      reviewer {
        id
        name
      }
    }
  }
`);

/** One queue item in full, fetched when it is shown (its image URLs are short-lived). */
export const ReviewQueueItem = graphql(`
  query ReviewQueueItem($id: ID!) {
    inspection(id: $id) {
      ...InspectionViewFields
    }
  }
`);
