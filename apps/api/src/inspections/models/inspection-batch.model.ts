import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ImageUploadError } from '../../datasets/models/image-upload.model.js';
import { Inspection } from '../../inspections/models/inspection.model.js';

@ObjectType({ description: 'The outcome for one file of an inspectImages call.' })
export class InspectionUploadResult {
  @Field(() => String, { nullable: true })
  fileName!: string | null;

  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => Inspection, { nullable: true, description: 'The PENDING inspection.' })
  inspection!: Inspection | null;

  @Field(() => ImageUploadError, { nullable: true })
  error!: ImageUploadError | null;
}

@ObjectType({
  description:
    'Images accepted for inspection. Results arrive on inspectionCompleted and in inspections(filter: { batchId }).',
})
export class InspectionBatch {
  @Field(() => ID)
  batchId!: string;

  @Field(() => [InspectionUploadResult])
  results!: InspectionUploadResult[];
}
