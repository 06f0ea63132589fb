import { Inject, Injectable, Logger } from '@nestjs/common';
import { eventChannel, type EventBus, type PlatformEvent } from '@padim/queue';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { TenantDb } from '../database/tenant-db.js';
import { EVENT_BUS } from './event-bus.token.js';
import { eventStream } from './event-stream.js';
import { EventsErrorCode, EventsException } from './events.exception.js';
import type { InspectionEvent } from './models/inspection-event.model.js';
import type { ModelVersionReadyEvent } from './models/model-version-ready.model.js';
import type { TrainingPhase, TrainingProgress } from './models/training-progress.model.js';
import { toPlatformEvent } from './platform-event.js';

type EventOf<T extends PlatformEvent['type']> = Extract<PlatformEvent, { type: T }>;

// PostgreSQL text cannot hold NUL: such an id cannot exist.
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;

/**
 * Live platform events for GraphQL subscriptions. A subscriber listens only on its own
 * organization's bus channel (tenancy), optionally narrowed to one of its product models.
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger('Events');

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly tenants: TenantDb,
  ) {}

  trainingProgress(
    actor: Actor,
    productModelId: string | null | undefined,
  ): Promise<AsyncIterableIterator<TrainingProgress>> {
    return this.stream(actor, productModelId, 'training.progress', (e) => ({
      trainingJobId: e.trainingJobId,
      modelVersionId: e.modelVersionId,
      productModelId: e.productModelId,
      status: e.status,
      phase: e.phase as TrainingPhase,
      done: e.done,
      total: e.total,
      progress: e.progress,
      etaSeconds: e.etaSeconds,
      error: e.error,
    }));
  }

  modelVersionReady(
    actor: Actor,
    productModelId: string | null | undefined,
  ): Promise<AsyncIterableIterator<ModelVersionReadyEvent>> {
    return this.stream(actor, productModelId, 'model.ready', (e) => ({
      modelVersionId: e.modelVersionId,
      productModelId: e.productModelId,
      version: e.version,
    }));
  }

  inspectionCompleted(
    actor: Actor,
    productModelId: string | null | undefined,
    flaggedOnly: boolean,
  ): Promise<AsyncIterableIterator<InspectionEvent>> {
    return this.stream(actor, productModelId, 'inspection.completed', (e) =>
      flaggedOnly && !e.flagged
        ? undefined
        : {
            inspectionId: e.inspectionId,
            productModelId: e.productModelId,
            modelVersionId: e.modelVersionId,
            status: e.status,
            score: e.score,
            verdict: e.verdict,
            flagged: e.flagged,
          },
    );
  }

  /**
   * Checks access (READ; the product model must be the organization's: NOT_FOUND otherwise, never
   * an empty stream), then streams the organization's events of `type` through `select`.
   */
  private async stream<K extends PlatformEvent['type'], T>(
    actor: Actor,
    productModelId: string | null | undefined,
    type: K,
    select: (event: EventOf<K>) => T | undefined,
  ): Promise<AsyncIterableIterator<T>> {
    const { organizationId, db } = this.tenants.for(actor, Permission.READ);
    if (productModelId !== null && productModelId !== undefined) {
      const found =
        !NUL.test(productModelId) &&
        (await db.productModel.findFirst({
          where: { id: productModelId },
          select: { id: true },
        }));
      if (!found)
        throw new EventsException(EventsErrorCode.PRODUCT_MODEL_NOT_FOUND, 'no such product model');
    }
    return eventStream(
      this.bus,
      eventChannel(organizationId),
      (message) => {
        const event = toPlatformEvent(message);
        if (!event || event.type !== type || event.organizationId !== organizationId) return;
        if (productModelId && event.productModelId !== productModelId) return;
        return select(event as EventOf<K>);
      },
      {
        onDrop: (dropped) => {
          // Once per hundred, not per event: a stuck socket would flood the log.
          if (dropped % 100 === 1)
            this.logger.warn(`a slow ${type} subscriber dropped ${dropped} event(s)`);
        },
      },
    );
  }
}
