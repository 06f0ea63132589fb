import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { WebhookDeliveryStatus, type Prisma } from '@padim/db';
import { JsonScalar } from '../../audit/models/json.scalar.js';
import { PageInfo } from '../../projects/models/project.model.js';

/** The events a webhook can subscribe to; the stored name is the value (e.g. "inspection.flagged"). */
export enum WebhookEvent {
  INSPECTION_CREATED = 'inspection.created',
  INSPECTION_FLAGGED = 'inspection.flagged',
  MODEL_READY = 'model.ready',
  TRAINING_FAILED = 'training.failed',
}

registerEnumType(WebhookEvent, {
  name: 'WebhookEvent',
  description:
    'Stored and delivered as inspection.created, inspection.flagged, model.ready, training.failed.',
});
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

@ObjectType({ description: 'A registered receiver. Its signing secret is shown only when set.' })
export class Webhook {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [WebhookEvent])
  events!: WebhookEvent[];

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType({ description: 'A webhook with its new signing secret: shown this once, never again.' })
export class WebhookWithSecret {
  @Field(() => Webhook)
  webhook!: Webhook;

  @Field(() => String, {
    description:
      'The HMAC-SHA256 key deliveries are signed with. Store it now: it is not shown again.',
  })
  secret!: string;
}

@ObjectType()
export class WebhookEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Webhook)
  node!: Webhook;
}

@ObjectType()
export class WebhookConnection {
  @Field(() => [WebhookEdge])
  edges!: WebhookEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'One delivery of an event to a webhook, with its outcome.' })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  webhookId!: string;

  @Field(() => String)
  event!: string;

  @Field(() => JsonScalar)
  payload!: Prisma.JsonValue;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Date, { nullable: true })
  nextAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true })
  responseStatus!: number | null;

  @Field(() => String, { nullable: true, description: 'Truncated response body.' })
  responseBody!: string | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;
}

@ObjectType()
export class WebhookDeliveryEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => WebhookDelivery)
  node!: WebhookDelivery;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge])
  edges!: WebhookDeliveryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
