import { Logger } from '@nestjs/common';
import { InProcessEventBus, RedisEventBus, type EventBus } from '@padim/queue';
import type { AppConfig } from '../config/config.js';

/**
 * The bus the configuration asks for: Redis pub/sub (shared by every API and worker process that
 * uses the same REDIS_PREFIX) when REDIS_URL is set, else the in-process bus of the embedded mode.
 */
export function openEventBus(config: AppConfig): EventBus {
  const logger = new Logger('EventBus');
  const onError = (error: Error): void => logger.error(error.stack ?? error.message);
  return config.REDIS_URL
    ? new RedisEventBus({ connection: config.REDIS_URL, prefix: config.REDIS_PREFIX, onError })
    : new InProcessEventBus(onError);
}
