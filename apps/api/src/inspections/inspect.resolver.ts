import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { InspectService } from './inspect.service.js';
import { InspectionBatch } from './models/inspection-batch.model.js';
import { Inspection } from './models/inspection.model.js';

/** Submitting images: inspectImage (waits for its result) and inspectImages (a batch). */
@UseGuards(AuthGuard)
@Resolver()
export class InspectResolver {
  constructor(private readonly inspect: InspectService) {}

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
