import { pagedComplexity } from '../common/complexity.js';
import { UseGuards } from '@nestjs/common';
import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { CurrentActor, type Actor, type GqlContext } from '../auth/actor.js';
import { Loaders } from '../common/loaders.js';
import { DatasetImageCounts } from './models/dataset-image-counts.model.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { DatasetsArgs, DatasetSnapshotsArgs } from './dto/dataset.args.js';
import { CreateDatasetInput, CreateDatasetSnapshotInput } from './dto/dataset.input.js';
import { Dataset, DatasetConnection } from './models/dataset.model.js';
import { DatasetSnapshot, DatasetSnapshotConnection } from './models/dataset-snapshot.model.js';
import { DatasetsService } from './datasets.service.js';

@UseGuards(AuthGuard)
@Resolver(() => Dataset)
export class DatasetsResolver {
  constructor(
    private readonly service: DatasetsService,
    private readonly loaders: Loaders,
  ) {}

  @ResolveField('imageCounts', () => DatasetImageCounts, {
    description: 'How many images the dataset holds, by label.',
  })
  imageCounts(@Parent() dataset: Dataset, @Context() ctx: GqlContext): Promise<DatasetImageCounts> {
    return this.loaders.for(ctx).datasetImageCounts.load(dataset.id);
  }

  @Query(() => DatasetConnection, {
    description: 'Datasets of a product model, newest first.',
    complexity: pagedComplexity,
  })
  datasets(@CurrentActor() actor: Actor, @Args() args: DatasetsArgs): Promise<DatasetConnection> {
    return this.service.list(actor, args.productModelId, args.first, args.after);
  }

  @Query(() => Dataset)
  dataset(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Dataset> {
    return this.service.get(actor, id);
  }

  @Mutation(() => Dataset, { description: 'ENGINEER+ (MANAGE_DATASETS).' })
  createDataset(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateDatasetInput,
  ): Promise<Dataset> {
    return this.service.create(actor, input);
  }

  @Mutation(() => Dataset, {
    description: 'ENGINEER+. Deletes its images, snapshots and stored objects.',
  })
  deleteDataset(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Dataset> {
    return this.service.delete(actor, id);
  }

  @Query(() => DatasetSnapshotConnection, {
    description: 'Snapshots of a dataset, newest first.',
    complexity: pagedComplexity,
  })
  datasetSnapshots(
    @CurrentActor() actor: Actor,
    @Args() args: DatasetSnapshotsArgs,
  ): Promise<DatasetSnapshotConnection> {
    return this.service.listSnapshots(actor, args.datasetId, args.first, args.after);
  }

  @Mutation(() => DatasetSnapshot, {
    description: 'ENGINEER+. Freezes the current image list and labels (what a model trains on).',
  })
  createDatasetSnapshot(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateDatasetSnapshotInput,
  ): Promise<DatasetSnapshot> {
    return this.service.createSnapshot(actor, input);
  }
}
