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
import { pagedComplexity } from '../common/complexity.js';
import { Loaders } from '../common/loaders.js';
import { ModelVersion } from '../model-versions/models/model-version.model.js';
import { InspectionsArgs } from './dto/inspections.args.js';
import { ReviewInspectionInput } from './dto/review.input.js';
import { InspectionsService } from './inspections.service.js';
import { Inspection, InspectionConnection } from './models/inspection.model.js';
import { Review } from './models/review.model.js';

@UseGuards(AuthGuard)
@Resolver(() => Inspection)
export class InspectionsResolver {
  constructor(
    private readonly service: InspectionsService,
    private readonly loaders: Loaders,
  ) {}

  @Query(() => InspectionConnection, {
    description: 'Inspections of the active organization, newest first, filtered.',
    complexity: pagedComplexity,
  })
  inspections(
    @CurrentActor() actor: Actor,
    @Args() args: InspectionsArgs,
  ): Promise<InspectionConnection> {
    return this.service.list(actor, args.filter, args.first, args.after);
  }

  @Query(() => Inspection)
  inspection(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Inspection> {
    return this.service.get(actor, id);
  }

  @Mutation(() => Review, {
    description:
      'Records (or changes) the review of a completed inspection (INSPECTOR and up), audited.',
  })
  reviewInspection(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReviewInspectionInput,
  ): Promise<Review> {
    return this.service.review(actor, input);
  }

  @ResolveField('review', () => Review, { nullable: true })
  review(@Parent() inspection: Inspection, @Context() ctx: GqlContext): Promise<Review | null> {
    return this.loaders.for(ctx).reviewByInspection.load(inspection.id);
  }

  @ResolveField('modelVersion', () => ModelVersion, { nullable: true })
  modelVersion(
    @Parent() inspection: Inspection,
    @Context() ctx: GqlContext,
  ): Promise<ModelVersion | null> {
    return this.loaders.for(ctx).modelVersion.load(inspection.modelVersionId);
  }
}
