import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'How many images a dataset holds, by label.' })
export class DatasetImageCounts {
  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  good!: number;

  @Field(() => Int)
  defect!: number;

  @Field(() => Int)
  unknown!: number;
}
