import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { Inspection } from '../inspections/models/inspection.model.js';
import { TrainingJob } from '../model-versions/models/training-job.model.js';
import { TrainModelInput } from './dto/train.input.js';
import { InspectService } from './inspect.service.js';
import { InspectionBatch } from './models/inspection-batch.model.js';
import { TrainingService } from './training.service.js';

@UseGuards(AuthGuard)
@Resolver()
export class PipelineResolver {
  constructor(
    private readonly training: TrainingService,
    private readonly inspect: InspectService,
  ) {}

  @Mutation(() => TrainingJob, {
    description:
      'ENGINEER+. Creates the next model version (QUEUED) and its training job; the worker fits it, calibrates the threshold and makes it READY. Progress: trainingProgress.',
  })
  trainModel(
    @CurrentActor() actor: Actor,
    @Args('input') input: TrainModelInput,
  ): Promise<TrainingJob> {
    return this.training.train(actor, input);
  }

  @Mutation(() => TrainingJob, {
    description: 'ENGINEER+. Cancels a queued or running training job (its version ends FAILED).',
  })
  cancelTrainingJob(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<TrainingJob> {
    return this.training.cancel(actor, id);
  }

  @Mutation(() => TrainingJob, {
    description:
      "ENGINEER+. Folds the product model's reviewed false positives into this READY version's statistics: a new version (parent: this one) without re-reading the training images. It becomes active when its parent was.",
  })
  absorbFalsePositives(
    @CurrentActor() actor: Actor,
    @Args('modelVersionId', { type: () => ID }) modelVersionId: string,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey?: string,
  ): Promise<TrainingJob> {
    return this.training.foldReviews(actor, modelVersionId, idempotencyKey);
  }

  @Mutation(() => Inspection, {
    description:
      'INSPECTOR+ (API keys too). Inspects one image (GraphQL multipart; send apollo-require-preflight: true) with the active (or given READY) version; answers with the result when it is ready within waitMs (at most INSPECT_SYNC_TIMEOUT_MS), else the PENDING inspection.',
  })
  inspectImage(
    @CurrentActor() actor: Actor,
    @Args('productModelId', { type: () => ID }) productModelId: string,
    @Args({ name: 'image', type: () => GraphQLUpload }) image: Promise<FileUpload>,
    @Args('source', { type: () => String, nullable: true }) source?: string,
    @Args('modelVersionId', { type: () => ID, nullable: true }) modelVersionId?: string,
    @Args('waitMs', { type: () => Int, nullable: true }) waitMs?: number,
  ): Promise<Inspection> {
    return this.inspect.inspectOne(actor, productModelId, image, {
      ...(source !== undefined ? { source } : {}),
      ...(modelVersionId !== undefined ? { modelVersionId } : {}),
      ...(waitMs !== undefined && waitMs !== null ? { waitMs } : {}),
    });
  }

  @Mutation(() => InspectionBatch, {
    description:
      'INSPECTOR+. Queues many images for inspection (bad files are named and skipped); results arrive on inspectionCompleted.',
  })
  inspectImages(
    @CurrentActor() actor: Actor,
    @Args('productModelId', { type: () => ID }) productModelId: string,
    @Args({ name: 'images', type: () => [GraphQLUpload] }) images: Promise<FileUpload>[],
    @Args('source', { type: () => String, nullable: true }) source?: string,
    @Args('modelVersionId', { type: () => ID, nullable: true }) modelVersionId?: string,
  ): Promise<InspectionBatch> {
    return this.inspect.inspectMany(actor, productModelId, images, {
      ...(source !== undefined ? { source } : {}),
      ...(modelVersionId !== undefined ? { modelVersionId } : {}),
    });
  }
}

@UseGuards(AuthGuard)
@Resolver(() => Inspection)
export class InspectionUrlsResolver {
  constructor(private readonly inspect: InspectService) {}

  @ResolveField('imageUrl', () => String, {
    description: 'A short-lived download URL of the inspected image.',
  })
  async imageUrl(@CurrentActor() actor: Actor, @Parent() inspection: Inspection): Promise<string> {
    return (await this.inspect.url(actor, inspection, 'image'))!;
  }

  @ResolveField('heatmapUrl', () => String, {
    nullable: true,
    description: 'A short-lived download URL of the anomaly heatmap (PNG), once completed.',
  })
  heatmapUrl(
    @CurrentActor() actor: Actor,
    @Parent() inspection: Inspection,
  ): Promise<string | null> {
    return this.inspect.url(actor, inspection, 'heatmap');
  }
}
