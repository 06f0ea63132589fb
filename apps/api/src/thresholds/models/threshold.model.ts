import { Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ThresholdMethod, type Prisma } from '@padim/db';
import { JsonScalar } from '../../audit/models/json.scalar.js';
import { PageInfo } from '../../projects/models/project.model.js';

registerEnumType(ThresholdMethod, {
  name: 'ThresholdMethod',
  description:
    'MANUAL: set by a person; FALSE_ALARM_RATE: quantile of held-out normal scores; F1_OPTIMAL: on labelled defects.',
});

@ObjectType({ description: 'One entry of a version threshold history: rows are never changed.' })
export class Threshold {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'The value in force before this one; null for the first.',
  })
  previousValue!: number | null;

  @Field(() => ThresholdMethod)
  method!: ThresholdMethod;

  @Field(() => Float, { nullable: true })
  targetFalseAlarmRate!: number | null;

  @Field(() => JsonScalar, { nullable: true, description: 'Calibration details.' })
  calibration!: Prisma.JsonValue | null;

  @Field(() => String, { nullable: true, description: 'The reason given.' })
  note!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Who set it; null when the system calibrated it.',
  })
  setById!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class ThresholdEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Threshold)
  node!: Threshold;
}

@ObjectType()
export class ThresholdConnection {
  @Field(() => [ThresholdEdge])
  edges!: ThresholdEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
