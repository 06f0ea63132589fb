import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GqlContext } from '../auth/actor.js';
import { User } from '../auth/models/auth.model.js';
import { Loaders } from '../common/loaders.js';
import { Review } from './models/review.model.js';

@Resolver(() => Review)
export class ReviewsResolver {
  constructor(private readonly loaders: Loaders) {}

  @ResolveField('reviewer', () => User, { nullable: true })
  reviewer(@Parent() review: Review, @Context() ctx: GqlContext): Promise<User | null> {
    if (!review.reviewerId) return Promise.resolve(null);
    return this.loaders.for(ctx).user.load(review.reviewerId);
  }
}
