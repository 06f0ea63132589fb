import { UseGuards } from '@nestjs/common';
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { InspectionEventsArgs, ProductModelEventsArgs } from './dto/events.args.js';
import { EventsService } from './events.service.js';
import { InspectionEvent } from './models/inspection-event.model.js';
import { ModelVersionReadyEvent } from './models/model-version-ready.model.js';
import { TrainingProgress } from './models/training-progress.model.js';

/** The streams yield the field's value itself (not `{ [fieldName]: value }`). */
const itself = <T>(value: T): T => value;

/** Subscriptions run over graphql-ws on /graphql; the socket authenticates in connection_init. */
@UseGuards(AuthGuard)
@Resolver()
export class EventsResolver {
  constructor(private readonly service: EventsService) {}

  @Subscription(() => TrainingProgress, {
    description: "Training progress of the active organization's jobs (READ).",
    resolve: itself,
  })
  trainingProgress(
    @CurrentActor() actor: Actor,
    @Args() args: ProductModelEventsArgs,
  ): Promise<AsyncIterableIterator<TrainingProgress>> {
    return this.service.trainingProgress(actor, args.productModelId);
  }

  @Subscription(() => ModelVersionReadyEvent, {
    description: 'Model versions that finished training (READ).',
    resolve: itself,
  })
  modelVersionReady(
    @CurrentActor() actor: Actor,
    @Args() args: ProductModelEventsArgs,
  ): Promise<AsyncIterableIterator<ModelVersionReadyEvent>> {
    return this.service.modelVersionReady(actor, args.productModelId);
  }

  @Subscription(() => InspectionEvent, {
    description: 'Finished inspections; with flaggedOnly, the new defects to review (READ).',
    resolve: itself,
  })
  inspectionCompleted(
    @CurrentActor() actor: Actor,
    @Args() args: InspectionEventsArgs,
  ): Promise<AsyncIterableIterator<InspectionEvent>> {
    return this.service.inspectionCompleted(actor, args.productModelId, args.flaggedOnly);
  }
}
