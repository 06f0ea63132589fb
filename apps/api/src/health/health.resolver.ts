import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';

@ObjectType({ description: 'Liveness of the API process.' })
export class ApiStatus {
  @Field(() => String)
  status!: string;

  @Field(() => String, { description: 'API version.' })
  version!: string;
}

@Resolver(() => ApiStatus)
export class StatusResolver {
  @Query(() => ApiStatus, { description: 'Whether the API answers (no authentication needed).' })
  status(): ApiStatus {
    return { status: 'ok', version: '0.1.0' };
  }
}
