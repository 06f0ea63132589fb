import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ImageLabel } from '@padim/db';
import { PageInfo } from '../../projects/models/project.model.js';

registerEnumType(ImageLabel, {
  name: 'ImageLabel',
  description: 'Ground truth of a dataset image: GOOD (normal), DEFECT, or UNKNOWN.',
});

@ObjectType()
export class DatasetImage {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  datasetId!: string;

  /** The tenant-prefixed object key; not exposed (clients get `url`). */
  objectKey!: string;

  @Field(() => String, { description: 'Hex sha256 of the bytes (unique within a dataset).' })
  sha256!: string;

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => Int)
  bytes!: number;

  @Field(() => String, { description: 'By content sniffing, not the uploaded name or type.' })
  contentType!: string;

  @Field(() => ImageLabel)
  label!: ImageLabel;

  @Field(() => String, { nullable: true, description: 'The client file name, for display.' })
  originalName!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class DatasetImageEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => DatasetImage)
  node!: DatasetImage;
}

@ObjectType()
export class DatasetImageConnection {
  @Field(() => [DatasetImageEdge])
  edges!: DatasetImageEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
