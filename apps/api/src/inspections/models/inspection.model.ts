import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { InspectionStatus, Verdict } from '@padim/db';
import { PageInfo } from '../../projects/models/project.model.js';

registerEnumType(InspectionStatus, { name: 'InspectionStatus' });
registerEnumType(Verdict, {
  name: 'Verdict',
  description: "The detector's verdict (score > threshold -> DEFECT) or a reviewer's.",
});

@ObjectType({ description: 'A connected region of the anomaly map above the threshold.' })
export class InspectionRegion {
  @Field(() => Int)
  x!: number;

  @Field(() => Int)
  y!: number;

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => Int, { description: 'Pixels above the threshold.' })
  area!: number;

  @Field(() => Float)
  maxScore!: number;
}

@ObjectType()
export class Inspection {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  productModelId!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => InspectionStatus)
  status!: InspectionStatus;

  @Field(() => String, { description: 'Object-store key of the image.' })
  imageKey!: string;

  @Field(() => String, { nullable: true })
  imageSha256!: string | null;

  @Field(() => Float, { nullable: true, description: 'Image score; null until completed.' })
  score!: number | null;

  @Field(() => Verdict, { nullable: true })
  verdict!: Verdict | null;

  @Field(() => [InspectionRegion])
  regions!: InspectionRegion[];

  @Field(() => String, { nullable: true, description: 'Object-store key of the anomaly map.' })
  mapKey!: string | null;

  @Field(() => ID, { nullable: true })
  thresholdId!: string | null;

  @Field(() => Float, { nullable: true, description: 'The threshold in force for the verdict.' })
  thresholdValue!: number | null;

  @Field(() => String, { nullable: true })
  source!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Shared by the inspections of one inspectImages call.',
  })
  batchId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Original image width (regions use it).' })
  imageWidth!: number | null;

  @Field(() => Int, { nullable: true })
  imageHeight!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Score at the bottom of the heatmap colour scale (its legend).',
  })
  heatmapMin!: number | null;

  @Field(() => Float, { nullable: true, description: 'Score at the top of the colour scale.' })
  heatmapMax!: number | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;
}

@ObjectType()
export class InspectionEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Inspection)
  node!: Inspection;
}

@ObjectType()
export class InspectionConnection {
  @Field(() => [InspectionEdge])
  edges!: InspectionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
