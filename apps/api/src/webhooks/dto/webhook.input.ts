import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '../../common/pagination/cursor.js';
import { WebhookEvent } from '../models/webhook.model.js';

@InputType()
export class CreateWebhookInput {
  @Field(() => String, { description: 'http(s) URL that receives signed POSTs.' })
  url!: string;

  @Field(() => [WebhookEvent])
  events!: WebhookEvent[];

  @Field(() => String, { nullable: true })
  description?: string;
}

@InputType()
export class UpdateWebhookInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  url?: string;

  @Field(() => [WebhookEvent], { nullable: true })
  events?: WebhookEvent[];

  @Field(() => Boolean, { nullable: true })
  active?: boolean;

  @Field(() => String, { nullable: true })
  description?: string;
}

@ArgsType()
export class WebhookDeliveriesArgs extends PageArgs {
  @Field(() => ID)
  webhookId!: string;
}
