import { ArgsType, Field, Float, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '../../common/pagination/cursor.js';

@InputType()
export class SetThresholdInput {
  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => Float, { description: 'Image score at or above which a part is a DEFECT; >= 0.' })
  value!: number;

  @Field(() => String, { nullable: true, description: 'Why (kept with the history).' })
  reason?: string;
}

@ArgsType()
export class ThresholdsArgs extends PageArgs {
  @Field(() => ID)
  modelVersionId!: string;
}
