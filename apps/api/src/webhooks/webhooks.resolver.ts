import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { pagedComplexity } from '../common/complexity.js';
import { PageArgs } from '../common/pagination/cursor.js';
import {
  CreateWebhookInput,
  UpdateWebhookInput,
  WebhookDeliveriesArgs,
} from './dto/webhook.input.js';
import {
  Webhook,
  WebhookConnection,
  WebhookDeliveryConnection,
  WebhookWithSecret,
} from './models/webhook.model.js';
import { WebhooksService } from './webhooks.service.js';

/** Every operation needs ADMIN or OWNER (Permission.MANAGE_WEBHOOKS). */
@UseGuards(AuthGuard)
@Resolver(() => Webhook)
export class WebhooksResolver {
  constructor(private readonly service: WebhooksService) {}

  @Query(() => WebhookConnection, { complexity: pagedComplexity })
  webhooks(@CurrentActor() actor: Actor, @Args() page: PageArgs): Promise<WebhookConnection> {
    return this.service.list(actor, page.first, page.after);
  }

  @Query(() => Webhook)
  webhook(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Webhook> {
    return this.service.get(actor, id);
  }

  @Query(() => WebhookDeliveryConnection, {
    description: 'Delivery history of a webhook, newest first.',
    complexity: pagedComplexity,
  })
  webhookDeliveries(
    @CurrentActor() actor: Actor,
    @Args() args: WebhookDeliveriesArgs,
  ): Promise<WebhookDeliveryConnection> {
    return this.service.deliveries(actor, args.webhookId, args.first, args.after);
  }

  @Mutation(() => WebhookWithSecret, {
    description: 'Registers a webhook; the answer holds its signing secret, shown this once.',
  })
  createWebhook(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateWebhookInput,
  ): Promise<WebhookWithSecret> {
    return this.service.create(actor, input);
  }

  @Mutation(() => Webhook)
  updateWebhook(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateWebhookInput,
  ): Promise<Webhook> {
    return this.service.update(actor, input);
  }

  @Mutation(() => WebhookWithSecret, {
    description: 'Replaces the signing secret; the new one is shown this once.',
  })
  rotateWebhookSecret(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<WebhookWithSecret> {
    return this.service.rotateSecret(actor, id);
  }

  @Mutation(() => Webhook, { description: 'Deletes a webhook and its delivery history.' })
  deleteWebhook(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Webhook> {
    return this.service.delete(actor, id);
  }
}
