-- CreateEnum
CREATE TYPE "Role" AS ENUM ('OWNER', 'ADMIN', 'ENGINEER', 'INSPECTOR', 'VIEWER');

-- CreateEnum
CREATE TYPE "ImageLabel" AS ENUM ('GOOD', 'DEFECT', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "ModelVersionStatus" AS ENUM ('DRAFT', 'QUEUED', 'TRAINING', 'CALIBRATING', 'READY', 'FAILED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "PreprocessProtocol" AS ENUM ('MVTEC', 'STC');

-- CreateEnum
CREATE TYPE "TrainingJobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "TrainingJobKind" AS ENUM ('FULL', 'INCREMENTAL');

-- CreateEnum
CREATE TYPE "ThresholdMethod" AS ENUM ('MANUAL', 'FALSE_ALARM_RATE', 'F1_OPTIMAL');

-- CreateEnum
CREATE TYPE "InspectionStatus" AS ENUM ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "Verdict" AS ENUM ('GOOD', 'DEFECT');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('USER', 'API_KEY', 'SYSTEM');

-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "activeOrganizationId" TEXT,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "userAgent" TEXT,
    "ip" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductModel" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cameraPose" TEXT NOT NULL DEFAULT 'default',
    "description" TEXT,
    "activeVersionId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ProductModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "productModelId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetImage" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "objectKey" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,
    "contentType" TEXT NOT NULL,
    "label" "ImageLabel" NOT NULL DEFAULT 'UNKNOWN',
    "maskKey" TEXT,
    "originalName" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DatasetImage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetSnapshot" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "name" TEXT,
    "imageCount" INTEGER NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DatasetSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetSnapshotImage" (
    "snapshotId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "label" "ImageLabel" NOT NULL,

    CONSTRAINT "DatasetSnapshotImage_pkey" PRIMARY KEY ("snapshotId","imageId")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "productModelId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "ModelVersionStatus" NOT NULL DEFAULT 'DRAFT',
    "backbone" TEXT NOT NULL,
    "weightsSha256" TEXT,
    "layers" TEXT[],
    "d" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "eps" DOUBLE PRECISION NOT NULL DEFAULT 0.01,
    "protocol" "PreprocessProtocol" NOT NULL DEFAULT 'MVTEC',
    "imageSize" INTEGER NOT NULL,
    "metrics" JSONB,
    "statsKey" TEXT,
    "detectorKey" TEXT,
    "trainedImageCount" INTEGER NOT NULL DEFAULT 0,
    "snapshotId" TEXT,
    "parentVersionId" TEXT,
    "createdById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "readyAt" TIMESTAMPTZ(3),

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingJob" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "kind" "TrainingJobKind" NOT NULL DEFAULT 'FULL',
    "status" "TrainingJobStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 3,
    "error" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "queueJobId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "TrainingJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Threshold" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "method" "ThresholdMethod" NOT NULL,
    "targetFalseAlarmRate" DOUBLE PRECISION,
    "calibration" JSONB,
    "note" TEXT,
    "setById" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Threshold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Inspection" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "productModelId" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "status" "InspectionStatus" NOT NULL DEFAULT 'PENDING',
    "imageKey" TEXT NOT NULL,
    "imageSha256" TEXT,
    "score" DOUBLE PRECISION,
    "verdict" "Verdict",
    "regions" JSONB,
    "mapKey" TEXT,
    "thresholdId" TEXT,
    "thresholdValue" DOUBLE PRECISION,
    "source" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Inspection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "inspectionId" TEXT NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "reviewerId" TEXT,
    "note" TEXT,
    "absorbedIntoVersionId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT[],
    "secret" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "description" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "responseStatus" INTEGER,
    "responseBody" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "actorType" "ActorType" NOT NULL,
    "actorUserId" TEXT,
    "actorApiKeyId" TEXT,
    "actorLabel" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "data" JSONB,
    "ip" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organization_slug_key" ON "Organization"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE INDEX "Membership_organizationId_createdAt_id_idx" ON "Membership"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_organizationId_userId_key" ON "Membership"("organizationId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE INDEX "Session_activeOrganizationId_idx" ON "Session"("activeOrganizationId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_keyHash_key" ON "ApiKey"("keyHash");

-- CreateIndex
CREATE INDEX "ApiKey_organizationId_createdAt_id_idx" ON "ApiKey"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ApiKey_createdById_idx" ON "ApiKey"("createdById");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_id_organizationId_key" ON "ApiKey"("id", "organizationId");

-- CreateIndex
CREATE INDEX "Project_organizationId_createdAt_id_idx" ON "Project"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Project_id_organizationId_key" ON "Project"("id", "organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_organizationId_name_key" ON "Project"("organizationId", "name");

-- CreateIndex
CREATE INDEX "ProductModel_organizationId_createdAt_id_idx" ON "ProductModel"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ProductModel_organizationId_projectId_createdAt_id_idx" ON "ProductModel"("organizationId", "projectId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ProductModel_id_organizationId_key" ON "ProductModel"("id", "organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "ProductModel_activeVersionId_id_key" ON "ProductModel"("activeVersionId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ProductModel_projectId_name_cameraPose_key" ON "ProductModel"("projectId", "name", "cameraPose");

-- CreateIndex
CREATE INDEX "Dataset_organizationId_createdAt_id_idx" ON "Dataset"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Dataset_organizationId_productModelId_createdAt_id_idx" ON "Dataset"("organizationId", "productModelId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_id_organizationId_key" ON "Dataset"("id", "organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_productModelId_name_key" ON "Dataset"("productModelId", "name");

-- CreateIndex
CREATE INDEX "DatasetImage_organizationId_datasetId_createdAt_id_idx" ON "DatasetImage"("organizationId", "datasetId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "DatasetImage_organizationId_datasetId_label_idx" ON "DatasetImage"("organizationId", "datasetId", "label");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetImage_id_organizationId_key" ON "DatasetImage"("id", "organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetImage_datasetId_sha256_key" ON "DatasetImage"("datasetId", "sha256");

-- CreateIndex
CREATE INDEX "DatasetSnapshot_organizationId_datasetId_createdAt_id_idx" ON "DatasetSnapshot"("organizationId", "datasetId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "DatasetSnapshot_createdById_idx" ON "DatasetSnapshot"("createdById");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetSnapshot_id_organizationId_key" ON "DatasetSnapshot"("id", "organizationId");

-- CreateIndex
CREATE INDEX "DatasetSnapshotImage_imageId_idx" ON "DatasetSnapshotImage"("imageId");

-- CreateIndex
CREATE INDEX "DatasetSnapshotImage_organizationId_idx" ON "DatasetSnapshotImage"("organizationId");

-- CreateIndex
CREATE INDEX "ModelVersion_organizationId_createdAt_id_idx" ON "ModelVersion"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ModelVersion_organizationId_productModelId_createdAt_id_idx" ON "ModelVersion"("organizationId", "productModelId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ModelVersion_organizationId_status_idx" ON "ModelVersion"("organizationId", "status");

-- CreateIndex
CREATE INDEX "ModelVersion_snapshotId_idx" ON "ModelVersion"("snapshotId");

-- CreateIndex
CREATE INDEX "ModelVersion_parentVersionId_idx" ON "ModelVersion"("parentVersionId");

-- CreateIndex
CREATE INDEX "ModelVersion_createdById_idx" ON "ModelVersion"("createdById");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_id_organizationId_key" ON "ModelVersion"("id", "organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_id_productModelId_key" ON "ModelVersion"("id", "productModelId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_productModelId_version_key" ON "ModelVersion"("productModelId", "version");

-- CreateIndex
CREATE INDEX "TrainingJob_organizationId_createdAt_id_idx" ON "TrainingJob"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "TrainingJob_organizationId_modelVersionId_createdAt_id_idx" ON "TrainingJob"("organizationId", "modelVersionId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "TrainingJob_status_createdAt_idx" ON "TrainingJob"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingJob_organizationId_idempotencyKey_key" ON "TrainingJob"("organizationId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Threshold_organizationId_modelVersionId_createdAt_id_idx" ON "Threshold"("organizationId", "modelVersionId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Threshold_setById_idx" ON "Threshold"("setById");

-- CreateIndex
CREATE UNIQUE INDEX "Threshold_id_organizationId_key" ON "Threshold"("id", "organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Threshold_id_modelVersionId_key" ON "Threshold"("id", "modelVersionId");

-- CreateIndex
CREATE INDEX "Inspection_organizationId_createdAt_id_idx" ON "Inspection"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Inspection_organizationId_modelVersionId_createdAt_id_idx" ON "Inspection"("organizationId", "modelVersionId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Inspection_organizationId_productModelId_createdAt_id_idx" ON "Inspection"("organizationId", "productModelId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Inspection_organizationId_verdict_createdAt_id_idx" ON "Inspection"("organizationId", "verdict", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Inspection_organizationId_score_idx" ON "Inspection"("organizationId", "score");

-- CreateIndex
CREATE INDEX "Inspection_modelVersionId_productModelId_idx" ON "Inspection"("modelVersionId", "productModelId");

-- CreateIndex
CREATE INDEX "Inspection_thresholdId_idx" ON "Inspection"("thresholdId");

-- CreateIndex
CREATE UNIQUE INDEX "Inspection_id_organizationId_key" ON "Inspection"("id", "organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "Review_inspectionId_key" ON "Review"("inspectionId");

-- CreateIndex
CREATE INDEX "Review_organizationId_createdAt_id_idx" ON "Review"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Review_reviewerId_idx" ON "Review"("reviewerId");

-- CreateIndex
CREATE INDEX "Review_absorbedIntoVersionId_idx" ON "Review"("absorbedIntoVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "Review_inspectionId_organizationId_key" ON "Review"("inspectionId", "organizationId");

-- CreateIndex
CREATE INDEX "Webhook_organizationId_createdAt_id_idx" ON "Webhook"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Webhook_id_organizationId_key" ON "Webhook"("id", "organizationId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_organizationId_webhookId_createdAt_id_idx" ON "WebhookDelivery"("organizationId", "webhookId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_createdAt_id_idx" ON "AuditEvent"("organizationId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_targetType_targetId_idx" ON "AuditEvent"("organizationId", "targetType", "targetId");

-- CreateIndex
CREATE INDEX "AuditEvent_actorUserId_idx" ON "AuditEvent"("actorUserId");

-- CreateIndex
CREATE INDEX "AuditEvent_actorApiKeyId_idx" ON "AuditEvent"("actorApiKeyId");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_activeOrganizationId_fkey" FOREIGN KEY ("activeOrganizationId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductModel" ADD CONSTRAINT "ProductModel_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductModel" ADD CONSTRAINT "ProductModel_projectId_organizationId_fkey" FOREIGN KEY ("projectId", "organizationId") REFERENCES "Project"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductModel" ADD CONSTRAINT "ProductModel_activeVersionId_id_fkey" FOREIGN KEY ("activeVersionId", "id") REFERENCES "ModelVersion"("id", "productModelId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_productModelId_organizationId_fkey" FOREIGN KEY ("productModelId", "organizationId") REFERENCES "ProductModel"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetImage" ADD CONSTRAINT "DatasetImage_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetImage" ADD CONSTRAINT "DatasetImage_datasetId_organizationId_fkey" FOREIGN KEY ("datasetId", "organizationId") REFERENCES "Dataset"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetSnapshot" ADD CONSTRAINT "DatasetSnapshot_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetSnapshot" ADD CONSTRAINT "DatasetSnapshot_datasetId_organizationId_fkey" FOREIGN KEY ("datasetId", "organizationId") REFERENCES "Dataset"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetSnapshot" ADD CONSTRAINT "DatasetSnapshot_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetSnapshotImage" ADD CONSTRAINT "DatasetSnapshotImage_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetSnapshotImage" ADD CONSTRAINT "DatasetSnapshotImage_snapshotId_organizationId_fkey" FOREIGN KEY ("snapshotId", "organizationId") REFERENCES "DatasetSnapshot"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetSnapshotImage" ADD CONSTRAINT "DatasetSnapshotImage_imageId_organizationId_fkey" FOREIGN KEY ("imageId", "organizationId") REFERENCES "DatasetImage"("id", "organizationId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_productModelId_organizationId_fkey" FOREIGN KEY ("productModelId", "organizationId") REFERENCES "ProductModel"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_snapshotId_organizationId_fkey" FOREIGN KEY ("snapshotId", "organizationId") REFERENCES "DatasetSnapshot"("id", "organizationId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_parentVersionId_organizationId_fkey" FOREIGN KEY ("parentVersionId", "organizationId") REFERENCES "ModelVersion"("id", "organizationId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_modelVersionId_organizationId_fkey" FOREIGN KEY ("modelVersionId", "organizationId") REFERENCES "ModelVersion"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Threshold" ADD CONSTRAINT "Threshold_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Threshold" ADD CONSTRAINT "Threshold_modelVersionId_organizationId_fkey" FOREIGN KEY ("modelVersionId", "organizationId") REFERENCES "ModelVersion"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Threshold" ADD CONSTRAINT "Threshold_setById_fkey" FOREIGN KEY ("setById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_productModelId_organizationId_fkey" FOREIGN KEY ("productModelId", "organizationId") REFERENCES "ProductModel"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_modelVersionId_productModelId_fkey" FOREIGN KEY ("modelVersionId", "productModelId") REFERENCES "ModelVersion"("id", "productModelId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_thresholdId_modelVersionId_fkey" FOREIGN KEY ("thresholdId", "modelVersionId") REFERENCES "Threshold"("id", "modelVersionId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_inspectionId_organizationId_fkey" FOREIGN KEY ("inspectionId", "organizationId") REFERENCES "Inspection"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_absorbedIntoVersionId_fkey" FOREIGN KEY ("absorbedIntoVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_organizationId_fkey" FOREIGN KEY ("webhookId", "organizationId") REFERENCES "Webhook"("id", "organizationId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorUserId_fkey" FOREIGN KEY ("actorUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorApiKeyId_fkey" FOREIGN KEY ("actorApiKeyId") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;
