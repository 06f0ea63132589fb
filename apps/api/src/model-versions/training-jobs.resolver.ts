import { UseGuards } from '@nestjs/common';
import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor, type Actor, type GqlContext } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { pagedComplexity } from '../common/complexity.js';
import { Loaders } from '../common/loaders.js';
import { TrainingJobsArgs } from './dto/model-versions.args.js';
import { ModelVersion } from './models/model-version.model.js';
import { TrainingJob, TrainingJobConnection } from './models/training-job.model.js';
import { ModelVersionsService } from './model-versions.service.js';

@UseGuards(AuthGuard)
@Resolver(() => TrainingJob)
export class TrainingJobsResolver {
  constructor(
    private readonly service: ModelVersionsService,
    private readonly loaders: Loaders,
  ) {}

  @Query(() => TrainingJobConnection, {
    description: 'Training jobs of the versions of a product model, newest first.',
    complexity: pagedComplexity,
  })
  trainingJobs(
    @CurrentActor() actor: Actor,
    @Args() args: TrainingJobsArgs,
  ): Promise<TrainingJobConnection> {
    return this.service.listJobs(actor, args.productModelId, args.first, args.after);
  }

  @Query(() => TrainingJob)
  trainingJob(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<TrainingJob> {
    return this.service.getJob(actor, id);
  }

  @ResolveField('modelVersion', () => ModelVersion, {
    nullable: true,
    description: 'The version this job trains.',
  })
  modelVersion(
    @Parent() job: TrainingJob,
    @Context() ctx: GqlContext,
  ): Promise<ModelVersion | null> {
    return this.loaders.for(ctx).modelVersion.load(job.modelVersionId);
  }
}
