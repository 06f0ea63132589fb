import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TrainingJobKind, TrainingJobStatus } from '@padim/db';
import { PageInfo } from '../../projects/models/project.model.js';

registerEnumType(TrainingJobStatus, { name: 'TrainingJobStatus' });
registerEnumType(TrainingJobKind, {
  name: 'TrainingJobKind',
  description: 'FULL: fit from a snapshot; INCREMENTAL: fold new normal images into statistics.',
});

@ObjectType()
export class TrainingJob {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => TrainingJobKind)
  kind!: TrainingJobKind;

  @Field(() => TrainingJobStatus)
  status!: TrainingJobStatus;

  @Field(() => Float, { description: '0 to 1.' })
  progress!: number;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Int)
  maxAttempts!: number;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

@ObjectType()
export class TrainingJobEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => TrainingJob)
  node!: TrainingJob;
}

@ObjectType()
export class TrainingJobConnection {
  @Field(() => [TrainingJobEdge])
  edges!: TrainingJobEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
