import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventBus } from '@padim/queue';
import { AuthModule } from '../auth/auth.module.js';
import { EVENT_BUS } from './event-bus.token.js';
import { EventsResolver } from './events.resolver.js';
import { EventsService } from './events.service.js';
import { GraphqlWsOptions } from './graphql-ws.options.js';

/**
 * Provides the event bus opened at start-up (`openEventBus`, or one a test injects) as EVENT_BUS
 * to every module, the GraphQL subscriptions over it, and the graphql-ws options. The app owns the
 * bus, as it owns its database: it is closed on shutdown, after the sockets.
 */
@Global()
@Module({})
export class EventsModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  static forRoot(bus: EventBus): DynamicModule {
    return {
      module: EventsModule,
      imports: [AuthModule],
      providers: [
        { provide: EVENT_BUS, useValue: bus },
        EventsService,
        EventsResolver,
        GraphqlWsOptions,
      ],
      exports: [EVENT_BUS, GraphqlWsOptions],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
