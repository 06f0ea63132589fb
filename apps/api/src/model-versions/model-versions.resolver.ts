import { UseGuards } from '@nestjs/common';
import {
  Args,
  Context,
  ID,
  Int,
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
import { ModelVersionsArgs } from './dto/model-versions.args.js';
import { ModelVersion, ModelVersionConnection } from './models/model-version.model.js';
import { ModelVersionsService } from './model-versions.service.js';

@UseGuards(AuthGuard)
@Resolver(() => ModelVersion)
export class ModelVersionsResolver {
  constructor(
    private readonly service: ModelVersionsService,
    private readonly loaders: Loaders,
  ) {}

  @Query(() => ModelVersionConnection, {
    description: 'Versions of a product model, newest first.',
    complexity: pagedComplexity,
  })
  modelVersions(
    @CurrentActor() actor: Actor,
    @Args() args: ModelVersionsArgs,
  ): Promise<ModelVersionConnection> {
    return this.service.list(actor, args.productModelId, args.first, args.after);
  }

  @Query(() => ModelVersion)
  modelVersion(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ModelVersion> {
    return this.service.get(actor, id);
  }

  @Mutation(() => ModelVersion, {
    description: 'Makes a READY version the active one of its product model (ENGINEER and up).',
  })
  promoteModelVersion(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ModelVersion> {
    return this.service.promote(actor, id);
  }

  @ResolveField('parentVersion', () => ModelVersion, {
    nullable: true,
    description: 'Lineage: the version this one was derived from.',
  })
  parentVersion(
    @Parent() version: ModelVersion,
    @Context() ctx: GqlContext,
  ): Promise<ModelVersion | null> {
    if (!version.parentVersionId) return Promise.resolve(null);
    return this.loaders.for(ctx).modelVersion.load(version.parentVersionId);
  }

  @ResolveField('isActive', () => Boolean, {
    description: 'Whether this version answers inspections of its product model.',
  })
  async isActive(@Parent() version: ModelVersion, @Context() ctx: GqlContext): Promise<boolean> {
    const product = await this.loaders.for(ctx).productModel.load(version.productModelId);
    return product?.activeVersionId === version.id;
  }

  @ResolveField('absorbedReviewsCount', () => Int, {
    description: 'Reviewed false positives whose statistics were folded into this version.',
  })
  absorbedReviewsCount(
    @Parent() version: ModelVersion,
    @Context() ctx: GqlContext,
  ): Promise<number> {
    return this.loaders.for(ctx).absorbedReviewCount.load(version.id);
  }
}
