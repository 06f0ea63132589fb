/** GraphQL operations of the model page's client components (names prefixed: codegen is global). */
import { graphql } from '@/gql';

export const ModelTrainingJobsQuery = graphql(`
  query ModelTrainingJobs($productModelId: ID!) {
    trainingJobs(productModelId: $productModelId, first: 10) {
      edges {
        node {
          ...ModelTrainingJobFields
        }
      }
    }
  }
`);

export const ModelTrainingJobFields = graphql(`
  fragment ModelTrainingJobFields on TrainingJob {
    id
    kind
    status
    progress
    attempts
    maxAttempts
    error
    createdAt
    startedAt
    finishedAt
    modelVersion {
      id
      version
    }
  }
`);

export const ModelTrainMutation = graphql(`
  mutation ModelTrain($input: TrainModelInput!) {
    trainModel(input: $input) {
      ...ModelTrainingJobFields
    }
  }
`);

export const ModelCancelJobMutation = graphql(`
  mutation ModelCancelJob($id: ID!) {
    cancelTrainingJob(id: $id) {
      ...ModelTrainingJobFields
    }
  }
`);

export const ModelAbsorbMutation = graphql(`
  mutation ModelAbsorb($modelVersionId: ID!, $idempotencyKey: String) {
    absorbFalsePositives(modelVersionId: $modelVersionId, idempotencyKey: $idempotencyKey) {
      ...ModelTrainingJobFields
    }
  }
`);

export const ModelPromoteMutation = graphql(`
  mutation ModelPromote($id: ID!) {
    promoteModelVersion(id: $id) {
      id
      isActive
    }
  }
`);

export const ModelSetThresholdMutation = graphql(`
  mutation ModelSetThreshold($input: SetThresholdInput!) {
    setThreshold(input: $input) {
      id
      value
      method
      note
    }
  }
`);

export const ModelCreateDatasetMutation = graphql(`
  mutation ModelCreateDataset($input: CreateDatasetInput!) {
    createDataset(input: $input) {
      id
      name
    }
  }
`);

export const ModelVersionFields = graphql(`
  fragment ModelVersionFields on ModelVersion {
    id
    productModelId
    version
    status
    backbone
    weightsSha256
    d
    seed
    eps
    imageSize
    protocol
    snapshotId
    parentVersionId
    parentVersion {
      id
      version
    }
    absorbedReviewsCount
    trainedImageCount
    createdAt
    readyAt
    memoryBytes
    isActive
    metrics
  }
`);
