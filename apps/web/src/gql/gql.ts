/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AuditViewer {\n    viewer {\n      role\n    }\n  }\n": typeof types.AuditViewerDocument,
    "\n  query AuditMembers($after: String) {\n    members(first: 50, after: $after) {\n      edges {\n        node {\n          id\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditMembersDocument,
    "\n  query AuditApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n    }\n  }\n": typeof types.AuditApiKeysDocument,
    "\n  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          action\n          actorType\n          actorLabel\n          actorUserId\n          actorApiKeyId\n          targetType\n          targetId\n          data\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query DatasetPage($id: ID!) {\n    viewer {\n      role\n    }\n    dataset(id: $id) {\n      id\n      name\n      description\n      productModelId\n      createdAt\n      updatedAt\n    }\n  }\n": typeof types.DatasetPageDocument,
    "\n  query DatasetProductModel($id: ID!) {\n    productModel(id: $id) {\n      id\n      name\n      cameraPose\n    }\n  }\n": typeof types.DatasetProductModelDocument,
    "\n  query DatasetImageCount($id: ID!) {\n    dataset(id: $id) {\n      imageCounts {\n        total\n        good\n        defect\n        unknown\n      }\n    }\n  }\n": typeof types.DatasetImageCountDocument,
    "\n  query InspectionDetail($id: ID!) {\n    viewer {\n      role\n    }\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n": typeof types.InspectionDetailDocument,
    "\n  query InspectionsList($filter: InspectionFilter, $after: String, $first: Int) {\n    inspections(filter: $filter, after: $after, first: $first) {\n      edges {\n        node {\n          id\n          createdAt\n          productModelId\n          status\n          score\n          thresholdValue\n          verdict\n          imageUrl\n          source\n          modelVersion {\n            id\n            version\n          }\n          review {\n            id\n            verdict\n            reviewer {\n              id\n              name\n            }\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": typeof types.InspectionsListDocument,
    "\n  query ShellViewer {\n    viewer {\n      role\n      user {\n        id\n        name\n        email\n      }\n      activeOrganization {\n        id\n        name\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ShellViewerDocument,
    "\n  query ModelPage($id: ID!) {\n    viewer {\n      role\n    }\n    productModel(id: $id) {\n      id\n      name\n      cameraPose\n      description\n      projectId\n      createdAt\n      activity {\n        inspectionsToday\n        flaggedToday\n        unreviewedFlagged\n        lastInspectionAt\n      }\n    }\n    datasets(productModelId: $id, first: 50) {\n      edges {\n        node {\n          id\n          name\n          description\n          createdAt\n        }\n      }\n    }\n    trainingJobs(productModelId: $id, first: 10) {\n      edges {\n        node {\n          ...ModelTrainingJobFields\n        }\n      }\n    }\n  }\n": typeof types.ModelPageDocument,
    "\n  query ModelPageVersions($id: ID!, $first: Int!, $after: String) {\n    modelVersions(productModelId: $id, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ModelVersionFields\n        }\n      }\n    }\n  }\n": typeof types.ModelPageVersionsDocument,
    "\n  query ModelPageOneVersion($id: ID!) {\n    modelVersion(id: $id) {\n      ...ModelVersionFields\n    }\n  }\n": typeof types.ModelPageOneVersionDocument,
    "\n  query ModelPagePendingReviews($id: ID!) {\n    reviewedFlagged: inspections(\n      filter: { productModelId: $id, reviewed: true, verdict: DEFECT }\n      first: 100\n    ) {\n      edges {\n        node {\n          id\n          review {\n            verdict\n            absorbedIntoVersionId\n          }\n        }\n      }\n    }\n  }\n": typeof types.ModelPagePendingReviewsDocument,
    "\n  query ModelPageProject($id: ID!) {\n    project(id: $id) {\n      id\n      name\n    }\n  }\n": typeof types.ModelPageProjectDocument,
    "\n  query ModelPageSnapshots($datasetId: ID!) {\n    datasetSnapshots(datasetId: $datasetId, first: 100) {\n      edges {\n        node {\n          id\n          imageCount\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.ModelPageSnapshotsDocument,
    "\n  query ModelVersionDetail($versionId: ID!) {\n    activeThreshold(modelVersionId: $versionId) {\n      id\n      value\n      method\n    }\n    thresholds(modelVersionId: $versionId, first: 50) {\n      edges {\n        node {\n          id\n          value\n          previousValue\n          method\n          note\n          createdAt\n          targetFalseAlarmRate\n          calibration\n          setById\n          setBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.ModelVersionDetailDocument,
    "\n  query ModelVersionReviewed($versionId: ID!) {\n    inspections(filter: { modelVersionId: $versionId, reviewed: true }, first: 100) {\n      edges {\n        node {\n          id\n          score\n          review {\n            verdict\n          }\n        }\n      }\n    }\n  }\n": typeof types.ModelVersionReviewedDocument,
    "\n  query OverviewPage {\n    viewer {\n      role\n    }\n    projects(first: 40) {\n      edges {\n        node {\n          id\n          name\n          description\n          productModels {\n            id\n            name\n            cameraPose\n            activity {\n              inspectionsToday\n              flaggedToday\n              unreviewedFlagged\n              lastInspectionAt\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": typeof types.OverviewPageDocument,
    "\n  query ProjectPage($id: ID!) {\n    viewer {\n      role\n    }\n    project(id: $id) {\n      id\n      name\n      description\n      createdAt\n      productModels {\n        id\n        name\n        cameraPose\n        activity {\n          inspectionsToday\n          flaggedToday\n          unreviewedFlagged\n          lastInspectionAt\n        }\n      }\n    }\n  }\n": typeof types.ProjectPageDocument,
    "\n  query ReviewQueueIds($after: String) {\n    viewer {\n      role\n    }\n    inspections(\n      filter: { verdict: DEFECT, reviewed: false, status: COMPLETED }\n      first: 100\n      after: $after\n    ) {\n      edges {\n        node {\n          id\n          createdAt\n          productModelId\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": typeof types.ReviewQueueIdsDocument,
    "\n  query ReviewQueueFirst($id: ID!) {\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n": typeof types.ReviewQueueFirstDocument,
    "\n  query SettingsApiKeys {\n    viewer {\n      role\n    }\n    apiKeys {\n      id\n      name\n      prefix\n      role\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n": typeof types.SettingsApiKeysDocument,
    "\n  query SettingsViewer {\n    viewer {\n      role\n    }\n  }\n": typeof types.SettingsViewerDocument,
    "\n  query SettingsMembers($first: Int, $after: String) {\n    viewer {\n      role\n      user {\n        id\n      }\n    }\n    members(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SettingsMembersDocument,
    "\n  query SettingsWebhooks($first: Int, $after: String) {\n    webhooks(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          url\n          description\n          events\n          active\n          createdAt\n          updatedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SettingsWebhooksDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      token\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  mutation SwitchOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      role\n    }\n  }\n": typeof types.SwitchOrganizationDocument,
    "\n  query DatasetImagesPage($datasetId: ID!, $first: Int, $after: String, $label: ImageLabel) {\n    datasetImages(datasetId: $datasetId, first: $first, after: $after, label: $label) {\n      edges {\n        node {\n          id\n          url\n          label\n          originalName\n          width\n          height\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.DatasetImagesPageDocument,
    "\n  query DatasetSnapshotsPage($datasetId: ID!, $first: Int, $after: String) {\n    datasetSnapshots(datasetId: $datasetId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          imageCount\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.DatasetSnapshotsPageDocument,
    "\n  mutation TakeDatasetSnapshot($input: CreateDatasetSnapshotInput!) {\n    createDatasetSnapshot(input: $input) {\n      id\n      name\n      imageCount\n      createdAt\n    }\n  }\n": typeof types.TakeDatasetSnapshotDocument,
    "\n  mutation UploadDatasetImage($datasetId: ID!, $files: [Upload!]!, $label: ImageLabel) {\n    uploadImages(datasetId: $datasetId, files: $files, label: $label) {\n      ok\n      fileName\n      error {\n        code\n        message\n      }\n      image {\n        id\n      }\n      duplicateOf {\n        id\n        originalName\n      }\n    }\n  }\n": typeof types.UploadDatasetImageDocument,
    "\n  mutation InspectionsBulkInspect($productModelId: ID!, $images: [Upload!]!, $source: String) {\n    inspectImages(productModelId: $productModelId, images: $images, source: $source) {\n      batchId\n      results {\n        ok\n        fileName\n        error {\n          code\n          message\n        }\n        inspection {\n          id\n          status\n        }\n      }\n    }\n  }\n": typeof types.InspectionsBulkInspectDocument,
    "\n  query InspectionsBatchOutcomes($batchId: ID!) {\n    inspections(filter: { batchId: $batchId }, first: 100) {\n      edges {\n        node {\n          id\n          status\n          score\n          verdict\n        }\n      }\n    }\n  }\n": typeof types.InspectionsBatchOutcomesDocument,
    "\n  fragment InspectionViewFields on Inspection {\n    id\n    status\n    error\n    createdAt\n    completedAt\n    productModelId\n    batchId\n    source\n    score\n    verdict\n    thresholdValue\n    imageUrl\n    heatmapUrl\n    heatmapMin\n    heatmapMax\n    imageWidth\n    imageHeight\n    regions {\n      x\n      y\n      width\n      height\n      area\n      maxScore\n    }\n    modelVersion {\n      id\n      version\n    }\n    review {\n      id\n      verdict\n      note\n      updatedAt\n      absorbedIntoVersionId\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n": typeof types.InspectionViewFieldsFragmentDoc,
    "\n  query InspectionsProductModels($after: String) {\n    productModels(first: 100, after: $after) {\n      edges {\n        node {\n          id\n          name\n          cameraPose\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": typeof types.InspectionsProductModelsDocument,
    "\n  query ModelTrainingJobs($productModelId: ID!) {\n    trainingJobs(productModelId: $productModelId, first: 10) {\n      edges {\n        node {\n          ...ModelTrainingJobFields\n        }\n      }\n    }\n  }\n": typeof types.ModelTrainingJobsDocument,
    "\n  fragment ModelTrainingJobFields on TrainingJob {\n    id\n    kind\n    status\n    progress\n    attempts\n    maxAttempts\n    error\n    createdAt\n    startedAt\n    finishedAt\n    modelVersion {\n      id\n      version\n    }\n  }\n": typeof types.ModelTrainingJobFieldsFragmentDoc,
    "\n  mutation ModelTrain($input: TrainModelInput!) {\n    trainModel(input: $input) {\n      ...ModelTrainingJobFields\n    }\n  }\n": typeof types.ModelTrainDocument,
    "\n  mutation ModelCancelJob($id: ID!) {\n    cancelTrainingJob(id: $id) {\n      ...ModelTrainingJobFields\n    }\n  }\n": typeof types.ModelCancelJobDocument,
    "\n  mutation ModelAbsorb($modelVersionId: ID!, $idempotencyKey: String) {\n    absorbFalsePositives(modelVersionId: $modelVersionId, idempotencyKey: $idempotencyKey) {\n      ...ModelTrainingJobFields\n    }\n  }\n": typeof types.ModelAbsorbDocument,
    "\n  mutation ModelPromote($id: ID!) {\n    promoteModelVersion(id: $id) {\n      id\n      isActive\n    }\n  }\n": typeof types.ModelPromoteDocument,
    "\n  mutation ModelSetThreshold($input: SetThresholdInput!) {\n    setThreshold(input: $input) {\n      id\n      value\n      method\n      note\n    }\n  }\n": typeof types.ModelSetThresholdDocument,
    "\n  mutation ModelCreateDataset($input: CreateDatasetInput!) {\n    createDataset(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.ModelCreateDatasetDocument,
    "\n  fragment ModelVersionFields on ModelVersion {\n    id\n    productModelId\n    version\n    status\n    backbone\n    weightsSha256\n    d\n    seed\n    eps\n    imageSize\n    protocol\n    snapshotId\n    parentVersionId\n    parentVersion {\n      id\n      version\n    }\n    absorbedReviewsCount\n    trainedImageCount\n    createdAt\n    readyAt\n    memoryBytes\n    isActive\n    metrics\n  }\n": typeof types.ModelVersionFieldsFragmentDoc,
    "\n  query OverviewModelVersions($productModelId: ID!) {\n    modelVersions(productModelId: $productModelId, first: 50) {\n      edges {\n        node {\n          id\n          version\n          status\n          isActive\n          weightsSha256\n        }\n      }\n    }\n  }\n": typeof types.OverviewModelVersionsDocument,
    "\n  mutation OverviewCreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.OverviewCreateProjectDocument,
    "\n  mutation OverviewCreateProductModel($input: CreateProductModelInput!) {\n    createProductModel(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.OverviewCreateProductModelDocument,
    "\n  mutation ReviewVerdict($input: ReviewInspectionInput!) {\n    reviewInspection(input: $input) {\n      id\n      inspectionId\n      verdict\n      note\n      updatedAt\n      absorbedIntoVersionId\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n": typeof types.ReviewVerdictDocument,
    "\n  query ReviewQueueItem($id: ID!) {\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n": typeof types.ReviewQueueItemDocument,
    "\n  mutation SettingsCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n        prefix\n        role\n      }\n    }\n  }\n": typeof types.SettingsCreateApiKeyDocument,
    "\n  mutation SettingsRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.SettingsRevokeApiKeyDocument,
    "\n  mutation SettingsAddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n      user {\n        email\n      }\n    }\n  }\n": typeof types.SettingsAddMemberDocument,
    "\n  mutation SettingsChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      id\n      role\n    }\n  }\n": typeof types.SettingsChangeMemberRoleDocument,
    "\n  mutation SettingsRemoveMember($userId: ID!) {\n    removeMember(userId: $userId) {\n      id\n    }\n  }\n": typeof types.SettingsRemoveMemberDocument,
    "\n  query SettingsWebhookDeliveries($webhookId: ID!, $first: Int, $after: String) {\n    webhookDeliveries(webhookId: $webhookId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          event\n          status\n          attempts\n          responseStatus\n          error\n          createdAt\n          deliveredAt\n          nextAttemptAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SettingsWebhookDeliveriesDocument,
    "\n  mutation SettingsCreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n": typeof types.SettingsCreateWebhookDocument,
    "\n  mutation SettingsUpdateWebhook($input: UpdateWebhookInput!) {\n    updateWebhook(input: $input) {\n      id\n      active\n    }\n  }\n": typeof types.SettingsUpdateWebhookDocument,
    "\n  mutation SettingsRotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      secret\n      webhook {\n        id\n      }\n    }\n  }\n": typeof types.SettingsRotateWebhookSecretDocument,
    "\n  mutation SettingsDeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id) {\n      id\n    }\n  }\n": typeof types.SettingsDeleteWebhookDocument,
};
const documents: Documents = {
    "\n  query AuditViewer {\n    viewer {\n      role\n    }\n  }\n": types.AuditViewerDocument,
    "\n  query AuditMembers($after: String) {\n    members(first: 50, after: $after) {\n      edges {\n        node {\n          id\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditMembersDocument,
    "\n  query AuditApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n    }\n  }\n": types.AuditApiKeysDocument,
    "\n  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          action\n          actorType\n          actorLabel\n          actorUserId\n          actorApiKeyId\n          targetType\n          targetId\n          data\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query DatasetPage($id: ID!) {\n    viewer {\n      role\n    }\n    dataset(id: $id) {\n      id\n      name\n      description\n      productModelId\n      createdAt\n      updatedAt\n    }\n  }\n": types.DatasetPageDocument,
    "\n  query DatasetProductModel($id: ID!) {\n    productModel(id: $id) {\n      id\n      name\n      cameraPose\n    }\n  }\n": types.DatasetProductModelDocument,
    "\n  query DatasetImageCount($id: ID!) {\n    dataset(id: $id) {\n      imageCounts {\n        total\n        good\n        defect\n        unknown\n      }\n    }\n  }\n": types.DatasetImageCountDocument,
    "\n  query InspectionDetail($id: ID!) {\n    viewer {\n      role\n    }\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n": types.InspectionDetailDocument,
    "\n  query InspectionsList($filter: InspectionFilter, $after: String, $first: Int) {\n    inspections(filter: $filter, after: $after, first: $first) {\n      edges {\n        node {\n          id\n          createdAt\n          productModelId\n          status\n          score\n          thresholdValue\n          verdict\n          imageUrl\n          source\n          modelVersion {\n            id\n            version\n          }\n          review {\n            id\n            verdict\n            reviewer {\n              id\n              name\n            }\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": types.InspectionsListDocument,
    "\n  query ShellViewer {\n    viewer {\n      role\n      user {\n        id\n        name\n        email\n      }\n      activeOrganization {\n        id\n        name\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ShellViewerDocument,
    "\n  query ModelPage($id: ID!) {\n    viewer {\n      role\n    }\n    productModel(id: $id) {\n      id\n      name\n      cameraPose\n      description\n      projectId\n      createdAt\n      activity {\n        inspectionsToday\n        flaggedToday\n        unreviewedFlagged\n        lastInspectionAt\n      }\n    }\n    datasets(productModelId: $id, first: 50) {\n      edges {\n        node {\n          id\n          name\n          description\n          createdAt\n        }\n      }\n    }\n    trainingJobs(productModelId: $id, first: 10) {\n      edges {\n        node {\n          ...ModelTrainingJobFields\n        }\n      }\n    }\n  }\n": types.ModelPageDocument,
    "\n  query ModelPageVersions($id: ID!, $first: Int!, $after: String) {\n    modelVersions(productModelId: $id, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ModelVersionFields\n        }\n      }\n    }\n  }\n": types.ModelPageVersionsDocument,
    "\n  query ModelPageOneVersion($id: ID!) {\n    modelVersion(id: $id) {\n      ...ModelVersionFields\n    }\n  }\n": types.ModelPageOneVersionDocument,
    "\n  query ModelPagePendingReviews($id: ID!) {\n    reviewedFlagged: inspections(\n      filter: { productModelId: $id, reviewed: true, verdict: DEFECT }\n      first: 100\n    ) {\n      edges {\n        node {\n          id\n          review {\n            verdict\n            absorbedIntoVersionId\n          }\n        }\n      }\n    }\n  }\n": types.ModelPagePendingReviewsDocument,
    "\n  query ModelPageProject($id: ID!) {\n    project(id: $id) {\n      id\n      name\n    }\n  }\n": types.ModelPageProjectDocument,
    "\n  query ModelPageSnapshots($datasetId: ID!) {\n    datasetSnapshots(datasetId: $datasetId, first: 100) {\n      edges {\n        node {\n          id\n          imageCount\n          createdAt\n        }\n      }\n    }\n  }\n": types.ModelPageSnapshotsDocument,
    "\n  query ModelVersionDetail($versionId: ID!) {\n    activeThreshold(modelVersionId: $versionId) {\n      id\n      value\n      method\n    }\n    thresholds(modelVersionId: $versionId, first: 50) {\n      edges {\n        node {\n          id\n          value\n          previousValue\n          method\n          note\n          createdAt\n          targetFalseAlarmRate\n          calibration\n          setById\n          setBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.ModelVersionDetailDocument,
    "\n  query ModelVersionReviewed($versionId: ID!) {\n    inspections(filter: { modelVersionId: $versionId, reviewed: true }, first: 100) {\n      edges {\n        node {\n          id\n          score\n          review {\n            verdict\n          }\n        }\n      }\n    }\n  }\n": types.ModelVersionReviewedDocument,
    "\n  query OverviewPage {\n    viewer {\n      role\n    }\n    projects(first: 40) {\n      edges {\n        node {\n          id\n          name\n          description\n          productModels {\n            id\n            name\n            cameraPose\n            activity {\n              inspectionsToday\n              flaggedToday\n              unreviewedFlagged\n              lastInspectionAt\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n": types.OverviewPageDocument,
    "\n  query ProjectPage($id: ID!) {\n    viewer {\n      role\n    }\n    project(id: $id) {\n      id\n      name\n      description\n      createdAt\n      productModels {\n        id\n        name\n        cameraPose\n        activity {\n          inspectionsToday\n          flaggedToday\n          unreviewedFlagged\n          lastInspectionAt\n        }\n      }\n    }\n  }\n": types.ProjectPageDocument,
    "\n  query ReviewQueueIds($after: String) {\n    viewer {\n      role\n    }\n    inspections(\n      filter: { verdict: DEFECT, reviewed: false, status: COMPLETED }\n      first: 100\n      after: $after\n    ) {\n      edges {\n        node {\n          id\n          createdAt\n          productModelId\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": types.ReviewQueueIdsDocument,
    "\n  query ReviewQueueFirst($id: ID!) {\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n": types.ReviewQueueFirstDocument,
    "\n  query SettingsApiKeys {\n    viewer {\n      role\n    }\n    apiKeys {\n      id\n      name\n      prefix\n      role\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n": types.SettingsApiKeysDocument,
    "\n  query SettingsViewer {\n    viewer {\n      role\n    }\n  }\n": types.SettingsViewerDocument,
    "\n  query SettingsMembers($first: Int, $after: String) {\n    viewer {\n      role\n      user {\n        id\n      }\n    }\n    members(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SettingsMembersDocument,
    "\n  query SettingsWebhooks($first: Int, $after: String) {\n    webhooks(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          url\n          description\n          events\n          active\n          createdAt\n          updatedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SettingsWebhooksDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      token\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  mutation SwitchOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      role\n    }\n  }\n": types.SwitchOrganizationDocument,
    "\n  query DatasetImagesPage($datasetId: ID!, $first: Int, $after: String, $label: ImageLabel) {\n    datasetImages(datasetId: $datasetId, first: $first, after: $after, label: $label) {\n      edges {\n        node {\n          id\n          url\n          label\n          originalName\n          width\n          height\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.DatasetImagesPageDocument,
    "\n  query DatasetSnapshotsPage($datasetId: ID!, $first: Int, $after: String) {\n    datasetSnapshots(datasetId: $datasetId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          imageCount\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.DatasetSnapshotsPageDocument,
    "\n  mutation TakeDatasetSnapshot($input: CreateDatasetSnapshotInput!) {\n    createDatasetSnapshot(input: $input) {\n      id\n      name\n      imageCount\n      createdAt\n    }\n  }\n": types.TakeDatasetSnapshotDocument,
    "\n  mutation UploadDatasetImage($datasetId: ID!, $files: [Upload!]!, $label: ImageLabel) {\n    uploadImages(datasetId: $datasetId, files: $files, label: $label) {\n      ok\n      fileName\n      error {\n        code\n        message\n      }\n      image {\n        id\n      }\n      duplicateOf {\n        id\n        originalName\n      }\n    }\n  }\n": types.UploadDatasetImageDocument,
    "\n  mutation InspectionsBulkInspect($productModelId: ID!, $images: [Upload!]!, $source: String) {\n    inspectImages(productModelId: $productModelId, images: $images, source: $source) {\n      batchId\n      results {\n        ok\n        fileName\n        error {\n          code\n          message\n        }\n        inspection {\n          id\n          status\n        }\n      }\n    }\n  }\n": types.InspectionsBulkInspectDocument,
    "\n  query InspectionsBatchOutcomes($batchId: ID!) {\n    inspections(filter: { batchId: $batchId }, first: 100) {\n      edges {\n        node {\n          id\n          status\n          score\n          verdict\n        }\n      }\n    }\n  }\n": types.InspectionsBatchOutcomesDocument,
    "\n  fragment InspectionViewFields on Inspection {\n    id\n    status\n    error\n    createdAt\n    completedAt\n    productModelId\n    batchId\n    source\n    score\n    verdict\n    thresholdValue\n    imageUrl\n    heatmapUrl\n    heatmapMin\n    heatmapMax\n    imageWidth\n    imageHeight\n    regions {\n      x\n      y\n      width\n      height\n      area\n      maxScore\n    }\n    modelVersion {\n      id\n      version\n    }\n    review {\n      id\n      verdict\n      note\n      updatedAt\n      absorbedIntoVersionId\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n": types.InspectionViewFieldsFragmentDoc,
    "\n  query InspectionsProductModels($after: String) {\n    productModels(first: 100, after: $after) {\n      edges {\n        node {\n          id\n          name\n          cameraPose\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": types.InspectionsProductModelsDocument,
    "\n  query ModelTrainingJobs($productModelId: ID!) {\n    trainingJobs(productModelId: $productModelId, first: 10) {\n      edges {\n        node {\n          ...ModelTrainingJobFields\n        }\n      }\n    }\n  }\n": types.ModelTrainingJobsDocument,
    "\n  fragment ModelTrainingJobFields on TrainingJob {\n    id\n    kind\n    status\n    progress\n    attempts\n    maxAttempts\n    error\n    createdAt\n    startedAt\n    finishedAt\n    modelVersion {\n      id\n      version\n    }\n  }\n": types.ModelTrainingJobFieldsFragmentDoc,
    "\n  mutation ModelTrain($input: TrainModelInput!) {\n    trainModel(input: $input) {\n      ...ModelTrainingJobFields\n    }\n  }\n": types.ModelTrainDocument,
    "\n  mutation ModelCancelJob($id: ID!) {\n    cancelTrainingJob(id: $id) {\n      ...ModelTrainingJobFields\n    }\n  }\n": types.ModelCancelJobDocument,
    "\n  mutation ModelAbsorb($modelVersionId: ID!, $idempotencyKey: String) {\n    absorbFalsePositives(modelVersionId: $modelVersionId, idempotencyKey: $idempotencyKey) {\n      ...ModelTrainingJobFields\n    }\n  }\n": types.ModelAbsorbDocument,
    "\n  mutation ModelPromote($id: ID!) {\n    promoteModelVersion(id: $id) {\n      id\n      isActive\n    }\n  }\n": types.ModelPromoteDocument,
    "\n  mutation ModelSetThreshold($input: SetThresholdInput!) {\n    setThreshold(input: $input) {\n      id\n      value\n      method\n      note\n    }\n  }\n": types.ModelSetThresholdDocument,
    "\n  mutation ModelCreateDataset($input: CreateDatasetInput!) {\n    createDataset(input: $input) {\n      id\n      name\n    }\n  }\n": types.ModelCreateDatasetDocument,
    "\n  fragment ModelVersionFields on ModelVersion {\n    id\n    productModelId\n    version\n    status\n    backbone\n    weightsSha256\n    d\n    seed\n    eps\n    imageSize\n    protocol\n    snapshotId\n    parentVersionId\n    parentVersion {\n      id\n      version\n    }\n    absorbedReviewsCount\n    trainedImageCount\n    createdAt\n    readyAt\n    memoryBytes\n    isActive\n    metrics\n  }\n": types.ModelVersionFieldsFragmentDoc,
    "\n  query OverviewModelVersions($productModelId: ID!) {\n    modelVersions(productModelId: $productModelId, first: 50) {\n      edges {\n        node {\n          id\n          version\n          status\n          isActive\n          weightsSha256\n        }\n      }\n    }\n  }\n": types.OverviewModelVersionsDocument,
    "\n  mutation OverviewCreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n    }\n  }\n": types.OverviewCreateProjectDocument,
    "\n  mutation OverviewCreateProductModel($input: CreateProductModelInput!) {\n    createProductModel(input: $input) {\n      id\n      name\n    }\n  }\n": types.OverviewCreateProductModelDocument,
    "\n  mutation ReviewVerdict($input: ReviewInspectionInput!) {\n    reviewInspection(input: $input) {\n      id\n      inspectionId\n      verdict\n      note\n      updatedAt\n      absorbedIntoVersionId\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n": types.ReviewVerdictDocument,
    "\n  query ReviewQueueItem($id: ID!) {\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n": types.ReviewQueueItemDocument,
    "\n  mutation SettingsCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n        prefix\n        role\n      }\n    }\n  }\n": types.SettingsCreateApiKeyDocument,
    "\n  mutation SettingsRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.SettingsRevokeApiKeyDocument,
    "\n  mutation SettingsAddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n      user {\n        email\n      }\n    }\n  }\n": types.SettingsAddMemberDocument,
    "\n  mutation SettingsChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      id\n      role\n    }\n  }\n": types.SettingsChangeMemberRoleDocument,
    "\n  mutation SettingsRemoveMember($userId: ID!) {\n    removeMember(userId: $userId) {\n      id\n    }\n  }\n": types.SettingsRemoveMemberDocument,
    "\n  query SettingsWebhookDeliveries($webhookId: ID!, $first: Int, $after: String) {\n    webhookDeliveries(webhookId: $webhookId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          event\n          status\n          attempts\n          responseStatus\n          error\n          createdAt\n          deliveredAt\n          nextAttemptAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SettingsWebhookDeliveriesDocument,
    "\n  mutation SettingsCreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n": types.SettingsCreateWebhookDocument,
    "\n  mutation SettingsUpdateWebhook($input: UpdateWebhookInput!) {\n    updateWebhook(input: $input) {\n      id\n      active\n    }\n  }\n": types.SettingsUpdateWebhookDocument,
    "\n  mutation SettingsRotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      secret\n      webhook {\n        id\n      }\n    }\n  }\n": types.SettingsRotateWebhookSecretDocument,
    "\n  mutation SettingsDeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id) {\n      id\n    }\n  }\n": types.SettingsDeleteWebhookDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditViewer {\n    viewer {\n      role\n    }\n  }\n"): (typeof documents)["\n  query AuditViewer {\n    viewer {\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditMembers($after: String) {\n    members(first: 50, after: $after) {\n      edges {\n        node {\n          id\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditMembers($after: String) {\n    members(first: 50, after: $after) {\n      edges {\n        node {\n          id\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n    }\n  }\n"): (typeof documents)["\n  query AuditApiKeys {\n    apiKeys {\n      id\n      name\n      prefix\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          action\n          actorType\n          actorLabel\n          actorUserId\n          actorApiKeyId\n          targetType\n          targetId\n          data\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          action\n          actorType\n          actorLabel\n          actorUserId\n          actorApiKeyId\n          targetType\n          targetId\n          data\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetPage($id: ID!) {\n    viewer {\n      role\n    }\n    dataset(id: $id) {\n      id\n      name\n      description\n      productModelId\n      createdAt\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  query DatasetPage($id: ID!) {\n    viewer {\n      role\n    }\n    dataset(id: $id) {\n      id\n      name\n      description\n      productModelId\n      createdAt\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetProductModel($id: ID!) {\n    productModel(id: $id) {\n      id\n      name\n      cameraPose\n    }\n  }\n"): (typeof documents)["\n  query DatasetProductModel($id: ID!) {\n    productModel(id: $id) {\n      id\n      name\n      cameraPose\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetImageCount($id: ID!) {\n    dataset(id: $id) {\n      imageCounts {\n        total\n        good\n        defect\n        unknown\n      }\n    }\n  }\n"): (typeof documents)["\n  query DatasetImageCount($id: ID!) {\n    dataset(id: $id) {\n      imageCounts {\n        total\n        good\n        defect\n        unknown\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InspectionDetail($id: ID!) {\n    viewer {\n      role\n    }\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n"): (typeof documents)["\n  query InspectionDetail($id: ID!) {\n    viewer {\n      role\n    }\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InspectionsList($filter: InspectionFilter, $after: String, $first: Int) {\n    inspections(filter: $filter, after: $after, first: $first) {\n      edges {\n        node {\n          id\n          createdAt\n          productModelId\n          status\n          score\n          thresholdValue\n          verdict\n          imageUrl\n          source\n          modelVersion {\n            id\n            version\n          }\n          review {\n            id\n            verdict\n            reviewer {\n              id\n              name\n            }\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query InspectionsList($filter: InspectionFilter, $after: String, $first: Int) {\n    inspections(filter: $filter, after: $after, first: $first) {\n      edges {\n        node {\n          id\n          createdAt\n          productModelId\n          status\n          score\n          thresholdValue\n          verdict\n          imageUrl\n          source\n          modelVersion {\n            id\n            version\n          }\n          review {\n            id\n            verdict\n            reviewer {\n              id\n              name\n            }\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShellViewer {\n    viewer {\n      role\n      user {\n        id\n        name\n        email\n      }\n      activeOrganization {\n        id\n        name\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ShellViewer {\n    viewer {\n      role\n      user {\n        id\n        name\n        email\n      }\n      activeOrganization {\n        id\n        name\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelPage($id: ID!) {\n    viewer {\n      role\n    }\n    productModel(id: $id) {\n      id\n      name\n      cameraPose\n      description\n      projectId\n      createdAt\n      activity {\n        inspectionsToday\n        flaggedToday\n        unreviewedFlagged\n        lastInspectionAt\n      }\n    }\n    datasets(productModelId: $id, first: 50) {\n      edges {\n        node {\n          id\n          name\n          description\n          createdAt\n        }\n      }\n    }\n    trainingJobs(productModelId: $id, first: 10) {\n      edges {\n        node {\n          ...ModelTrainingJobFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ModelPage($id: ID!) {\n    viewer {\n      role\n    }\n    productModel(id: $id) {\n      id\n      name\n      cameraPose\n      description\n      projectId\n      createdAt\n      activity {\n        inspectionsToday\n        flaggedToday\n        unreviewedFlagged\n        lastInspectionAt\n      }\n    }\n    datasets(productModelId: $id, first: 50) {\n      edges {\n        node {\n          id\n          name\n          description\n          createdAt\n        }\n      }\n    }\n    trainingJobs(productModelId: $id, first: 10) {\n      edges {\n        node {\n          ...ModelTrainingJobFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelPageVersions($id: ID!, $first: Int!, $after: String) {\n    modelVersions(productModelId: $id, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ModelVersionFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ModelPageVersions($id: ID!, $first: Int!, $after: String) {\n    modelVersions(productModelId: $id, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ModelVersionFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelPageOneVersion($id: ID!) {\n    modelVersion(id: $id) {\n      ...ModelVersionFields\n    }\n  }\n"): (typeof documents)["\n  query ModelPageOneVersion($id: ID!) {\n    modelVersion(id: $id) {\n      ...ModelVersionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelPagePendingReviews($id: ID!) {\n    reviewedFlagged: inspections(\n      filter: { productModelId: $id, reviewed: true, verdict: DEFECT }\n      first: 100\n    ) {\n      edges {\n        node {\n          id\n          review {\n            verdict\n            absorbedIntoVersionId\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ModelPagePendingReviews($id: ID!) {\n    reviewedFlagged: inspections(\n      filter: { productModelId: $id, reviewed: true, verdict: DEFECT }\n      first: 100\n    ) {\n      edges {\n        node {\n          id\n          review {\n            verdict\n            absorbedIntoVersionId\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelPageProject($id: ID!) {\n    project(id: $id) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query ModelPageProject($id: ID!) {\n    project(id: $id) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelPageSnapshots($datasetId: ID!) {\n    datasetSnapshots(datasetId: $datasetId, first: 100) {\n      edges {\n        node {\n          id\n          imageCount\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ModelPageSnapshots($datasetId: ID!) {\n    datasetSnapshots(datasetId: $datasetId, first: 100) {\n      edges {\n        node {\n          id\n          imageCount\n          createdAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelVersionDetail($versionId: ID!) {\n    activeThreshold(modelVersionId: $versionId) {\n      id\n      value\n      method\n    }\n    thresholds(modelVersionId: $versionId, first: 50) {\n      edges {\n        node {\n          id\n          value\n          previousValue\n          method\n          note\n          createdAt\n          targetFalseAlarmRate\n          calibration\n          setById\n          setBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ModelVersionDetail($versionId: ID!) {\n    activeThreshold(modelVersionId: $versionId) {\n      id\n      value\n      method\n    }\n    thresholds(modelVersionId: $versionId, first: 50) {\n      edges {\n        node {\n          id\n          value\n          previousValue\n          method\n          note\n          createdAt\n          targetFalseAlarmRate\n          calibration\n          setById\n          setBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelVersionReviewed($versionId: ID!) {\n    inspections(filter: { modelVersionId: $versionId, reviewed: true }, first: 100) {\n      edges {\n        node {\n          id\n          score\n          review {\n            verdict\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ModelVersionReviewed($versionId: ID!) {\n    inspections(filter: { modelVersionId: $versionId, reviewed: true }, first: 100) {\n      edges {\n        node {\n          id\n          score\n          review {\n            verdict\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OverviewPage {\n    viewer {\n      role\n    }\n    projects(first: 40) {\n      edges {\n        node {\n          id\n          name\n          description\n          productModels {\n            id\n            name\n            cameraPose\n            activity {\n              inspectionsToday\n              flaggedToday\n              unreviewedFlagged\n              lastInspectionAt\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query OverviewPage {\n    viewer {\n      role\n    }\n    projects(first: 40) {\n      edges {\n        node {\n          id\n          name\n          description\n          productModels {\n            id\n            name\n            cameraPose\n            activity {\n              inspectionsToday\n              flaggedToday\n              unreviewedFlagged\n              lastInspectionAt\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectPage($id: ID!) {\n    viewer {\n      role\n    }\n    project(id: $id) {\n      id\n      name\n      description\n      createdAt\n      productModels {\n        id\n        name\n        cameraPose\n        activity {\n          inspectionsToday\n          flaggedToday\n          unreviewedFlagged\n          lastInspectionAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ProjectPage($id: ID!) {\n    viewer {\n      role\n    }\n    project(id: $id) {\n      id\n      name\n      description\n      createdAt\n      productModels {\n        id\n        name\n        cameraPose\n        activity {\n          inspectionsToday\n          flaggedToday\n          unreviewedFlagged\n          lastInspectionAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReviewQueueIds($after: String) {\n    viewer {\n      role\n    }\n    inspections(\n      filter: { verdict: DEFECT, reviewed: false, status: COMPLETED }\n      first: 100\n      after: $after\n    ) {\n      edges {\n        node {\n          id\n          createdAt\n          productModelId\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReviewQueueIds($after: String) {\n    viewer {\n      role\n    }\n    inspections(\n      filter: { verdict: DEFECT, reviewed: false, status: COMPLETED }\n      first: 100\n      after: $after\n    ) {\n      edges {\n        node {\n          id\n          createdAt\n          productModelId\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReviewQueueFirst($id: ID!) {\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n"): (typeof documents)["\n  query ReviewQueueFirst($id: ID!) {\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsApiKeys {\n    viewer {\n      role\n    }\n    apiKeys {\n      id\n      name\n      prefix\n      role\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  query SettingsApiKeys {\n    viewer {\n      role\n    }\n    apiKeys {\n      id\n      name\n      prefix\n      role\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsViewer {\n    viewer {\n      role\n    }\n  }\n"): (typeof documents)["\n  query SettingsViewer {\n    viewer {\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsMembers($first: Int, $after: String) {\n    viewer {\n      role\n      user {\n        id\n      }\n    }\n    members(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query SettingsMembers($first: Int, $after: String) {\n    viewer {\n      role\n      user {\n        id\n      }\n    }\n    members(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          role\n          createdAt\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsWebhooks($first: Int, $after: String) {\n    webhooks(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          url\n          description\n          events\n          active\n          createdAt\n          updatedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query SettingsWebhooks($first: Int, $after: String) {\n    webhooks(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          url\n          description\n          events\n          active\n          createdAt\n          updatedAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SwitchOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation SwitchOrganization($input: SwitchOrganizationInput!) {\n    switchOrganization(input: $input) {\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetImagesPage($datasetId: ID!, $first: Int, $after: String, $label: ImageLabel) {\n    datasetImages(datasetId: $datasetId, first: $first, after: $after, label: $label) {\n      edges {\n        node {\n          id\n          url\n          label\n          originalName\n          width\n          height\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query DatasetImagesPage($datasetId: ID!, $first: Int, $after: String, $label: ImageLabel) {\n    datasetImages(datasetId: $datasetId, first: $first, after: $after, label: $label) {\n      edges {\n        node {\n          id\n          url\n          label\n          originalName\n          width\n          height\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetSnapshotsPage($datasetId: ID!, $first: Int, $after: String) {\n    datasetSnapshots(datasetId: $datasetId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          imageCount\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query DatasetSnapshotsPage($datasetId: ID!, $first: Int, $after: String) {\n    datasetSnapshots(datasetId: $datasetId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          name\n          imageCount\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TakeDatasetSnapshot($input: CreateDatasetSnapshotInput!) {\n    createDatasetSnapshot(input: $input) {\n      id\n      name\n      imageCount\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  mutation TakeDatasetSnapshot($input: CreateDatasetSnapshotInput!) {\n    createDatasetSnapshot(input: $input) {\n      id\n      name\n      imageCount\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadDatasetImage($datasetId: ID!, $files: [Upload!]!, $label: ImageLabel) {\n    uploadImages(datasetId: $datasetId, files: $files, label: $label) {\n      ok\n      fileName\n      error {\n        code\n        message\n      }\n      image {\n        id\n      }\n      duplicateOf {\n        id\n        originalName\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UploadDatasetImage($datasetId: ID!, $files: [Upload!]!, $label: ImageLabel) {\n    uploadImages(datasetId: $datasetId, files: $files, label: $label) {\n      ok\n      fileName\n      error {\n        code\n        message\n      }\n      image {\n        id\n      }\n      duplicateOf {\n        id\n        originalName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InspectionsBulkInspect($productModelId: ID!, $images: [Upload!]!, $source: String) {\n    inspectImages(productModelId: $productModelId, images: $images, source: $source) {\n      batchId\n      results {\n        ok\n        fileName\n        error {\n          code\n          message\n        }\n        inspection {\n          id\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation InspectionsBulkInspect($productModelId: ID!, $images: [Upload!]!, $source: String) {\n    inspectImages(productModelId: $productModelId, images: $images, source: $source) {\n      batchId\n      results {\n        ok\n        fileName\n        error {\n          code\n          message\n        }\n        inspection {\n          id\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InspectionsBatchOutcomes($batchId: ID!) {\n    inspections(filter: { batchId: $batchId }, first: 100) {\n      edges {\n        node {\n          id\n          status\n          score\n          verdict\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InspectionsBatchOutcomes($batchId: ID!) {\n    inspections(filter: { batchId: $batchId }, first: 100) {\n      edges {\n        node {\n          id\n          status\n          score\n          verdict\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InspectionViewFields on Inspection {\n    id\n    status\n    error\n    createdAt\n    completedAt\n    productModelId\n    batchId\n    source\n    score\n    verdict\n    thresholdValue\n    imageUrl\n    heatmapUrl\n    heatmapMin\n    heatmapMax\n    imageWidth\n    imageHeight\n    regions {\n      x\n      y\n      width\n      height\n      area\n      maxScore\n    }\n    modelVersion {\n      id\n      version\n    }\n    review {\n      id\n      verdict\n      note\n      updatedAt\n      absorbedIntoVersionId\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment InspectionViewFields on Inspection {\n    id\n    status\n    error\n    createdAt\n    completedAt\n    productModelId\n    batchId\n    source\n    score\n    verdict\n    thresholdValue\n    imageUrl\n    heatmapUrl\n    heatmapMin\n    heatmapMax\n    imageWidth\n    imageHeight\n    regions {\n      x\n      y\n      width\n      height\n      area\n      maxScore\n    }\n    modelVersion {\n      id\n      version\n    }\n    review {\n      id\n      verdict\n      note\n      updatedAt\n      absorbedIntoVersionId\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InspectionsProductModels($after: String) {\n    productModels(first: 100, after: $after) {\n      edges {\n        node {\n          id\n          name\n          cameraPose\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query InspectionsProductModels($after: String) {\n    productModels(first: 100, after: $after) {\n      edges {\n        node {\n          id\n          name\n          cameraPose\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelTrainingJobs($productModelId: ID!) {\n    trainingJobs(productModelId: $productModelId, first: 10) {\n      edges {\n        node {\n          ...ModelTrainingJobFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ModelTrainingJobs($productModelId: ID!) {\n    trainingJobs(productModelId: $productModelId, first: 10) {\n      edges {\n        node {\n          ...ModelTrainingJobFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ModelTrainingJobFields on TrainingJob {\n    id\n    kind\n    status\n    progress\n    attempts\n    maxAttempts\n    error\n    createdAt\n    startedAt\n    finishedAt\n    modelVersion {\n      id\n      version\n    }\n  }\n"): (typeof documents)["\n  fragment ModelTrainingJobFields on TrainingJob {\n    id\n    kind\n    status\n    progress\n    attempts\n    maxAttempts\n    error\n    createdAt\n    startedAt\n    finishedAt\n    modelVersion {\n      id\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ModelTrain($input: TrainModelInput!) {\n    trainModel(input: $input) {\n      ...ModelTrainingJobFields\n    }\n  }\n"): (typeof documents)["\n  mutation ModelTrain($input: TrainModelInput!) {\n    trainModel(input: $input) {\n      ...ModelTrainingJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ModelCancelJob($id: ID!) {\n    cancelTrainingJob(id: $id) {\n      ...ModelTrainingJobFields\n    }\n  }\n"): (typeof documents)["\n  mutation ModelCancelJob($id: ID!) {\n    cancelTrainingJob(id: $id) {\n      ...ModelTrainingJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ModelAbsorb($modelVersionId: ID!, $idempotencyKey: String) {\n    absorbFalsePositives(modelVersionId: $modelVersionId, idempotencyKey: $idempotencyKey) {\n      ...ModelTrainingJobFields\n    }\n  }\n"): (typeof documents)["\n  mutation ModelAbsorb($modelVersionId: ID!, $idempotencyKey: String) {\n    absorbFalsePositives(modelVersionId: $modelVersionId, idempotencyKey: $idempotencyKey) {\n      ...ModelTrainingJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ModelPromote($id: ID!) {\n    promoteModelVersion(id: $id) {\n      id\n      isActive\n    }\n  }\n"): (typeof documents)["\n  mutation ModelPromote($id: ID!) {\n    promoteModelVersion(id: $id) {\n      id\n      isActive\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ModelSetThreshold($input: SetThresholdInput!) {\n    setThreshold(input: $input) {\n      id\n      value\n      method\n      note\n    }\n  }\n"): (typeof documents)["\n  mutation ModelSetThreshold($input: SetThresholdInput!) {\n    setThreshold(input: $input) {\n      id\n      value\n      method\n      note\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ModelCreateDataset($input: CreateDatasetInput!) {\n    createDataset(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation ModelCreateDataset($input: CreateDatasetInput!) {\n    createDataset(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ModelVersionFields on ModelVersion {\n    id\n    productModelId\n    version\n    status\n    backbone\n    weightsSha256\n    d\n    seed\n    eps\n    imageSize\n    protocol\n    snapshotId\n    parentVersionId\n    parentVersion {\n      id\n      version\n    }\n    absorbedReviewsCount\n    trainedImageCount\n    createdAt\n    readyAt\n    memoryBytes\n    isActive\n    metrics\n  }\n"): (typeof documents)["\n  fragment ModelVersionFields on ModelVersion {\n    id\n    productModelId\n    version\n    status\n    backbone\n    weightsSha256\n    d\n    seed\n    eps\n    imageSize\n    protocol\n    snapshotId\n    parentVersionId\n    parentVersion {\n      id\n      version\n    }\n    absorbedReviewsCount\n    trainedImageCount\n    createdAt\n    readyAt\n    memoryBytes\n    isActive\n    metrics\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OverviewModelVersions($productModelId: ID!) {\n    modelVersions(productModelId: $productModelId, first: 50) {\n      edges {\n        node {\n          id\n          version\n          status\n          isActive\n          weightsSha256\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OverviewModelVersions($productModelId: ID!) {\n    modelVersions(productModelId: $productModelId, first: 50) {\n      edges {\n        node {\n          id\n          version\n          status\n          isActive\n          weightsSha256\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OverviewCreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation OverviewCreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OverviewCreateProductModel($input: CreateProductModelInput!) {\n    createProductModel(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation OverviewCreateProductModel($input: CreateProductModelInput!) {\n    createProductModel(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReviewVerdict($input: ReviewInspectionInput!) {\n    reviewInspection(input: $input) {\n      id\n      inspectionId\n      verdict\n      note\n      updatedAt\n      absorbedIntoVersionId\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReviewVerdict($input: ReviewInspectionInput!) {\n    reviewInspection(input: $input) {\n      id\n      inspectionId\n      verdict\n      note\n      updatedAt\n      absorbedIntoVersionId\n      reviewer {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReviewQueueItem($id: ID!) {\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n"): (typeof documents)["\n  query ReviewQueueItem($id: ID!) {\n    inspection(id: $id) {\n      ...InspectionViewFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n        prefix\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n        prefix\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsAddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n      user {\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsAddMember($input: AddMemberInput!) {\n    addMember(input: $input) {\n      id\n      role\n      user {\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsRemoveMember($userId: ID!) {\n    removeMember(userId: $userId) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsRemoveMember($userId: ID!) {\n    removeMember(userId: $userId) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsWebhookDeliveries($webhookId: ID!, $first: Int, $after: String) {\n    webhookDeliveries(webhookId: $webhookId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          event\n          status\n          attempts\n          responseStatus\n          error\n          createdAt\n          deliveredAt\n          nextAttemptAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query SettingsWebhookDeliveries($webhookId: ID!, $first: Int, $after: String) {\n    webhookDeliveries(webhookId: $webhookId, first: $first, after: $after) {\n      edges {\n        node {\n          id\n          event\n          status\n          attempts\n          responseStatus\n          error\n          createdAt\n          deliveredAt\n          nextAttemptAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsCreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsCreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsUpdateWebhook($input: UpdateWebhookInput!) {\n    updateWebhook(input: $input) {\n      id\n      active\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsUpdateWebhook($input: UpdateWebhookInput!) {\n    updateWebhook(input: $input) {\n      id\n      active\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsRotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      secret\n      webhook {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsRotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      secret\n      webhook {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SettingsDeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation SettingsDeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id) {\n      id\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;