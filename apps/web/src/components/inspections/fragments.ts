import { graphql } from '@/gql';

/** What the viewer and the review panels show of one inspection. */
export const InspectionViewFields = graphql(`
  fragment InspectionViewFields on Inspection {
    id
    status
    error
    createdAt
    completedAt
    productModelId
    batchId
    source
    score
    verdict
    thresholdValue
    imageUrl
    heatmapUrl
    heatmapMin
    heatmapMax
    imageWidth
    imageHeight
    regions {
      x
      y
      width
      height
      area
      maxScore
    }
    modelVersion {
      id
      version
    }
    review {
      id
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
