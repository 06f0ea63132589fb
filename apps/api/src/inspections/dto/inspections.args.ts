import { ArgsType, Field, Float, ID, InputType } from '@nestjs/graphql';
import { InspectionStatus, Verdict } from '@padim/db';
import { PageArgs } from '../../common/pagination/cursor.js';
import '../models/inspection.model.js';

@InputType({ description: 'All given conditions must hold.' })
export class InspectionFilter {
  @Field(() => ID, { nullable: true })
  productModelId?: string;

  @Field(() => ID, { nullable: true })
  modelVersionId?: string;

  @Field(() => Verdict, { nullable: true, description: "The detector's verdict." })
  verdict?: Verdict;

  @Field(() => Float, { nullable: true, description: 'score >= minScore' })
  minScore?: number;

  @Field(() => Float, { nullable: true, description: 'score <= maxScore' })
  maxScore?: number;

  @Field(() => Date, { nullable: true, description: 'createdAt >= from' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'createdAt < to' })
  to?: Date;

  @Field(() => Boolean, { nullable: true, description: 'Whether a person reviewed it.' })
  reviewed?: boolean;

  @Field(() => ID, { nullable: true, description: 'The inspections of one inspectImages call.' })
  batchId?: string;

  @Field(() => InspectionStatus, { nullable: true })
  status?: InspectionStatus;
}

@ArgsType()
export class InspectionsArgs extends PageArgs {
  @Field(() => InspectionFilter, { nullable: true })
  filter?: InspectionFilter;
}
