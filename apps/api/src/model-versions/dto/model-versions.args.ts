import { ArgsType, Field, ID } from '@nestjs/graphql';
import { PageArgs } from '../../common/pagination/cursor.js';

@ArgsType()
export class ModelVersionsArgs extends PageArgs {
  @Field(() => ID)
  productModelId!: string;
}

@ArgsType()
export class TrainingJobsArgs extends PageArgs {
  @Field(() => ID)
  productModelId!: string;
}
