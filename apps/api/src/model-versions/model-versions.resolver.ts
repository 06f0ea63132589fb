import { UseGuards } from '@nestjs/common';
import { planMemory } from '@padim/core';

/** Channels and strides of layer1..3 of the built-in backbones. */
const ARCH_CHANNELS: Record<string, { channels: number[]; strides: number[] }> = {
  resnet18: { channels: [64, 128, 256], strides: [4, 8, 16] },
  wide_resnet50_2: { channels: [256, 512, 1024], strides: [4, 8, 16] },
};
import {
  Args,
  Context,
  ID,
  Float,
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

  @ResolveField('memoryBytes', () => Float, {
    nullable: true,
    description:
      "Bytes the version's statistics take when loaded for scoring (fp32 mean and precision factor; core's memory planner).",
  })
  memoryBytes(@Parent() version: ModelVersion): number | null {
    const arch = ARCH_CHANNELS[version.backbone];
    if (!arch) return null;
    const levels = version.layers.map((l) => Number(/^layer(\d)$/.exec(l)?.[1] ?? NaN) - 1);
    if (levels.some((l) => !(l >= 0 && l < arch.channels.length))) return null;
    return planMemory({
      backbone: {
        channels: levels.map((l) => arch.channels[l]!),
        strides: levels.map((l) => arch.strides[l]!),
      },
      d: version.d,
      imageSize: version.imageSize,
      precision: 'fp32',
      layout: 'full',
    }).modelBytes;
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
