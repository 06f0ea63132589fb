-- AlterTable
ALTER TABLE "Inspection" ADD COLUMN     "batchId" TEXT,
ADD COLUMN     "heatmapMax" DOUBLE PRECISION,
ADD COLUMN     "heatmapMin" DOUBLE PRECISION,
ADD COLUMN     "imageHeight" INTEGER,
ADD COLUMN     "imageWidth" INTEGER;

-- AlterTable
ALTER TABLE "TrainingJob" ADD COLUMN     "options" JSONB;

-- CreateIndex
CREATE INDEX "Inspection_organizationId_batchId_createdAt_id_idx" ON "Inspection"("organizationId", "batchId", "createdAt", "id");
