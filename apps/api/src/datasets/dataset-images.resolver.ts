import { pagedComplexity } from '../common/complexity.js';
import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ImageLabel } from '@padim/db';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { DatasetImagesArgs } from './dto/dataset.args.js';
import { ConfirmImageUploadsInput, RequestImageUploadsInput } from './dto/dataset.input.js';
import { DatasetImage, DatasetImageConnection } from './models/dataset-image.model.js';
import { ImageUploadResult, PresignedImageUpload } from './models/image-upload.model.js';
import { DatasetImagesService } from './dataset-images.service.js';

@UseGuards(AuthGuard)
@Resolver(() => DatasetImage)
export class DatasetImagesResolver {
  constructor(private readonly service: DatasetImagesService) {}

  @Query(() => DatasetImageConnection, {
    description: 'Images of a dataset, newest first.',
    complexity: pagedComplexity,
  })
  datasetImages(
    @CurrentActor() actor: Actor,
    @Args() args: DatasetImagesArgs,
  ): Promise<DatasetImageConnection> {
    return this.service.list(actor, args.datasetId, args.label, args.first, args.after);
  }

  @ResolveField(() => String, { description: 'A presigned GET URL, valid for a few minutes.' })
  url(@CurrentActor() actor: Actor, @Parent() image: DatasetImage): Promise<string> {
    return this.service.url(actor, image);
  }

  @Mutation(() => [PresignedImageUpload], {
    description:
      'ENGINEER+. Presigned PUT URLs for large or many images; PUT each file, then confirmImageUploads.',
  })
  requestImageUploads(
    @CurrentActor() actor: Actor,
    @Args('input') input: RequestImageUploadsInput,
  ): Promise<PresignedImageUpload[]> {
    return this.service.requestUploads(actor, input);
  }

  @Mutation(() => [ImageUploadResult], {
    description:
      'ENGINEER+. Checks the uploaded objects and adds the good ones; one result per key.',
  })
  confirmImageUploads(
    @CurrentActor() actor: Actor,
    @Args('input') input: ConfirmImageUploadsInput,
  ): Promise<ImageUploadResult[]> {
    return this.service.confirm(actor, input);
  }

  @Mutation(() => [ImageUploadResult], {
    description:
      'ENGINEER+. GraphQL multipart upload of small images (send apollo-require-preflight: true).',
  })
  uploadImages(
    @CurrentActor() actor: Actor,
    @Args('datasetId', { type: () => ID }) datasetId: string,
    @Args({ name: 'files', type: () => [GraphQLUpload] }) files: Promise<FileUpload>[],
    @Args('label', { type: () => ImageLabel, nullable: true }) label?: ImageLabel,
  ): Promise<ImageUploadResult[]> {
    return this.service.uploadMultipart(actor, datasetId, files, label);
  }
}
