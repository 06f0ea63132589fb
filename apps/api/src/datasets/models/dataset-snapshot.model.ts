import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../projects/models/project.model.js';

@ObjectType({
  description: 'An immutable list of the images of a dataset and their labels at one moment.',
})
export class DatasetSnapshot {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  datasetId!: string;

  @Field(() => String, { nullable: true, description: 'A note saying what this snapshot is for.' })
  name!: string | null;

  @Field(() => Int)
  imageCount!: number;

  @Field(() => ID, { nullable: true })
  createdById!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class DatasetSnapshotEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => DatasetSnapshot)
  node!: DatasetSnapshot;
}

@ObjectType()
export class DatasetSnapshotConnection {
  @Field(() => [DatasetSnapshotEdge])
  edges!: DatasetSnapshotEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
