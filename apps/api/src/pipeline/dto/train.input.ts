import { Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { PreprocessProtocol } from '@padim/db';
// PreprocessProtocol is registered with GraphQL by the model-version model.
import '../../model-versions/models/model-version.model.js';

export enum TrainingBackbone {
  RESNET18 = 'resnet18',
  WIDE_RESNET50_2 = 'wide_resnet50_2',
}

export enum BackboneWeights {
  /** torchvision's ImageNet weights (the paper's setting); the worker downloads them once. */
  IMAGENET = 'IMAGENET',
  /** The seeded random-init variant: for tests and offline demos, not for real inspection. */
  RANDOM_INIT = 'RANDOM_INIT',
}

registerEnumType(TrainingBackbone, { name: 'TrainingBackbone' });
registerEnumType(BackboneWeights, {
  name: 'BackboneWeights',
  description: 'IMAGENET for real use; RANDOM_INIT (seeded) only for tests and offline demos.',
});

@InputType()
export class TrainModelInput {
  @Field(() => ID)
  productModelId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The snapshot to train on. Give this or datasetId (a snapshot is then taken).',
  })
  snapshotId?: string;

  @Field(() => ID, { nullable: true })
  datasetId?: string;

  @Field(() => TrainingBackbone, { nullable: true, description: 'Default resnet18.' })
  backbone?: TrainingBackbone;

  @Field(() => BackboneWeights, { nullable: true, description: 'Default IMAGENET.' })
  weights?: BackboneWeights;

  @Field(() => Int, {
    nullable: true,
    description: 'Embedding dimensions kept (Rd). Default 100 (R18) or 550 (WR50).',
  })
  d?: number;

  @Field(() => Int, { nullable: true, description: 'Seed of the channel choice. Default 0.' })
  seed?: number;

  @Field(() => PreprocessProtocol, { nullable: true, description: 'Default MVTEC.' })
  protocol?: PreprocessProtocol;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share of the normal images held out of the fit to calibrate the threshold (0.05 to 0.5, default 0.1).',
  })
  holdoutFraction?: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Target false-alarm rate of the calibrated threshold (0 to 0.5, default 0.01).',
  })
  targetFalseAlarmRate?: number;

  @Field(() => String, {
    nullable: true,
    description: 'The same key twice creates one job (retries of a request are safe).',
  })
  idempotencyKey?: string;
}
