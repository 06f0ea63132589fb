import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { TrainingJob } from '../model-versions/models/training-job.model.js';
import { TrainModelInput } from './dto/train.input.js';
import { TrainingService } from './training.service.js';

@UseGuards(AuthGuard)
@Resolver()
export class PipelineResolver {
  constructor(private readonly training: TrainingService) {}

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
}
