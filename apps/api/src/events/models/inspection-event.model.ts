import { Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { InspectionStatus, Verdict } from '@padim/db';
// Registers the InspectionStatus and Verdict enums.
import '../../inspections/models/inspection.model.js';

@ObjectType({ description: 'An inspection finished (COMPLETED or FAILED).' })
export class InspectionEvent {
  @Field(() => ID)
  inspectionId!: string;

  @Field(() => ID)
  productModelId!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => InspectionStatus)
  status!: InspectionStatus;

  @Field(() => Float, { nullable: true, description: 'Image score; null when FAILED.' })
  score!: number | null;

  @Field(() => Verdict, {
    nullable: true,
    description: "The detector's verdict; null when FAILED.",
  })
  verdict!: Verdict | null;

  @Field(() => Boolean, { description: 'Flagged for review (a new defect).' })
  flagged!: boolean;
}
