import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TrainingJobStatus } from '@padim/db';
// Registers the TrainingJobStatus enum.
import '../../model-versions/models/training-job.model.js';

/** The worker's phases of a training job (packages/queue TrainingPhase), in order. */
export enum TrainingPhase {
  QUEUED = 'queued',
  LOADING = 'loading',
  FITTING = 'fitting',
  CALIBRATING = 'calibrating',
  SAVING = 'saving',
  DONE = 'done',
}

registerEnumType(TrainingPhase, { name: 'TrainingPhase' });

@ObjectType({ description: 'Live progress of a training job (published by the worker).' })
export class TrainingProgress {
  @Field(() => ID)
  trainingJobId!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => ID)
  productModelId!: string;

  @Field(() => TrainingJobStatus)
  status!: TrainingJobStatus;

  @Field(() => TrainingPhase)
  phase!: TrainingPhase;

  @Field(() => Int, {
    description: 'Images (held-out images while calibrating) done in this phase.',
  })
  done!: number;

  @Field(() => Int, { description: 'Images of this phase.' })
  total!: number;

  @Field(() => Float, { description: '0 to 1 over the whole job.' })
  progress!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Seconds left, estimated from the rate so far; null when unknown.',
  })
  etaSeconds!: number | null;

  @Field(() => String, { nullable: true })
  error!: string | null;
}
