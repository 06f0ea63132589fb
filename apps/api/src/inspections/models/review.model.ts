import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Verdict } from '@padim/db';
import './inspection.model.js';

@ObjectType({ description: "A person's verdict on one inspection." })
export class Review {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  inspectionId!: string;

  @Field(() => Verdict)
  verdict!: Verdict;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => ID, { nullable: true })
  reviewerId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The model version this false positive was folded into, once it was.',
  })
  absorbedIntoVersionId!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}
