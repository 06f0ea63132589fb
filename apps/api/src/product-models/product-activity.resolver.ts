import { UseGuards } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GqlContext } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { Loaders } from '../common/loaders.js';
import { ProductModelActivity } from './models/product-activity.model.js';
import { ProductModel } from './models/product-model.model.js';

@UseGuards(AuthGuard)
@Resolver(() => ProductModel)
export class ProductActivityResolver {
  constructor(private readonly loaders: Loaders) {}

  @ResolveField('activity', () => ProductModelActivity, {
    description: 'Inspections today, flagged today, flagged and not yet reviewed, the newest one.',
  })
  activity(
    @Parent() product: ProductModel,
    @Context() ctx: GqlContext,
  ): Promise<ProductModelActivity> {
    return this.loaders.for(ctx).productActivity.load(product.id);
  }
}
