import { Field, ID, InputType } from '@nestjs/graphql';
import { Verdict } from '@padim/db';
import '../models/inspection.model.js';

@InputType()
export class ReviewInspectionInput {
  @Field(() => ID)
  inspectionId!: string;

  @Field(() => Verdict, { description: 'DEFECT: a true defect; GOOD: a false positive.' })
  verdict!: Verdict;

  @Field(() => String, { nullable: true })
  note?: string;
}
