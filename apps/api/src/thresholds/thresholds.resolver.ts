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
import { AuthGuard } from '../auth/auth.guard.js';
import { User } from '../auth/models/auth.model.js';
import { pagedComplexity } from '../common/complexity.js';
import { Loaders } from '../common/loaders.js';
import { SetThresholdInput, ThresholdsArgs } from './dto/threshold.input.js';
import { Threshold, ThresholdConnection } from './models/threshold.model.js';
import { ThresholdsService } from './thresholds.service.js';

@UseGuards(AuthGuard)
@Resolver(() => Threshold)
export class ThresholdsResolver {
  constructor(
    private readonly service: ThresholdsService,
    private readonly loaders: Loaders,
  ) {}

  @Query(() => ThresholdConnection, {
    description: 'Threshold history of a model version, newest first.',
    complexity: pagedComplexity,
  })
  thresholds(
    @CurrentActor() actor: Actor,
    @Args() args: ThresholdsArgs,
  ): Promise<ThresholdConnection> {
    return this.service.history(actor, args.modelVersionId, args.first, args.after);
  }

  @Query(() => Threshold, {
    nullable: true,
    description: 'The threshold in force for a model version; null before calibration.',
  })
  activeThreshold(
    @CurrentActor() actor: Actor,
    @Args('modelVersionId', { type: () => ID }) modelVersionId: string,
  ): Promise<Threshold | null> {
    return this.service.active(actor, modelVersionId);
  }

  @Mutation(() => Threshold, {
    description: 'Manual override (ENGINEER and up): a new MANUAL entry, audited.',
  })
  setThreshold(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetThresholdInput,
  ): Promise<Threshold> {
    return this.service.set(actor, input);
  }

  @ResolveField('setBy', () => User, { nullable: true })
  setBy(@Parent() threshold: Threshold, @Context() ctx: GqlContext): Promise<User | null> {
    if (!threshold.setById) return Promise.resolve(null);
    return this.loaders.for(ctx).user.load(threshold.setById);
  }
}
