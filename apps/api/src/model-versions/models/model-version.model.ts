import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ModelVersionStatus, PreprocessProtocol, type Prisma } from '@padim/db';
import { JsonScalar } from '../../audit/models/json.scalar.js';
import { PageInfo } from '../../projects/models/project.model.js';

registerEnumType(ModelVersionStatus, { name: 'ModelVersionStatus' });
registerEnumType(PreprocessProtocol, {
  name: 'PreprocessProtocol',
  description: 'MVTEC: resize 256 then center-crop 224; STC: resize only.',
});

@ObjectType({ description: 'A trained (or training) PaDiM detector of one product model.' })
export class ModelVersion {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  productModelId!: string;

  @Field(() => Int, { description: '1, 2, 3, ... per product model.' })
  version!: number;

  @Field(() => ModelVersionStatus)
  status!: ModelVersionStatus;

  @Field(() => String)
  backbone!: string;

  @Field(() => String, { nullable: true, description: 'null for seeded random weights.' })
  weightsSha256!: string | null;

  @Field(() => [String])
  layers!: string[];

  @Field(() => Int, { description: 'Embedding dimensions kept.' })
  d!: number;

  @Field(() => Int)
  seed!: number;

  @Field(() => Float)
  eps!: number;

  @Field(() => PreprocessProtocol)
  protocol!: PreprocessProtocol;

  @Field(() => Int)
  imageSize!: number;

  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Evaluation results (image AUROC, pixel AUROC, PRO, timings, ...).',
  })
  metrics!: Prisma.JsonValue | null;

  @Field(() => Int)
  trainedImageCount!: number;

  @Field(() => ID, { nullable: true, description: 'The dataset snapshot it was trained on.' })
  snapshotId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Lineage: the version it was derived from.' })
  parentVersionId!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  readyAt!: Date | null;
}

@ObjectType()
export class ModelVersionEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => ModelVersion)
  node!: ModelVersion;
}

@ObjectType()
export class ModelVersionConnection {
  @Field(() => [ModelVersionEdge])
  edges!: ModelVersionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
