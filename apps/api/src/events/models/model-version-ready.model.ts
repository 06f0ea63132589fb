import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A model version finished training and can be activated.' })
export class ModelVersionReadyEvent {
  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => ID)
  productModelId!: string;

  @Field(() => Int)
  version!: number;
}
