import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: "A product model's inspection activity (today = since 00:00 UTC)." })
export class ProductModelActivity {
  @Field(() => Int)
  inspectionsToday!: number;

  @Field(() => Int, { description: 'Inspections flagged DEFECT today.' })
  flaggedToday!: number;

  @Field(() => Int, { description: 'Flagged inspections nobody has reviewed yet (all time).' })
  unreviewedFlagged!: number;

  @Field(() => Date, { nullable: true })
  lastInspectionAt!: Date | null;
}
