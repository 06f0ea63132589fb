import { Field, ID, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../projects/models/project.model.js';

@ObjectType({ description: 'A set of images of one product model, for training and evaluation.' })
export class Dataset {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  productModelId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class DatasetEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Dataset)
  node!: Dataset;
}

@ObjectType()
export class DatasetConnection {
  @Field(() => [DatasetEdge])
  edges!: DatasetEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
