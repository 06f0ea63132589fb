/**
 * Publish/subscribe of JSON events across processes: the live side of the platform (GraphQL
 * subscriptions, progress). `RedisEventBus` (Redis pub/sub) connects every API and worker process;
 * `InProcessEventBus` serves the embedded mode. Delivery is at most once and only to subscribers
 * present when an event is published: anything that must not be lost (results, webhook deliveries)
 * is written to the database first, and events only announce it.
 */
import { EventEmitter } from 'node:events';

import { Redis, type RedisOptions } from 'ioredis';

import { QueueError, QueueErrorCode } from './errors.js';
import { toJson, type JsonValue, type Unsubscribe } from './queue.js';

export type EventListener = (event: JsonValue) => void;

export interface EventBus {
  /** Sends `event` (JSON) to every current subscriber of `channel`, in every process. */
  publish(channel: string, event: JsonValue): Promise<void>;
  /** Events published after the returned promise resolves are delivered, in publish order per publisher. */
  subscribe(channel: string, listener: EventListener): Promise<Unsubscribe>;
  close(): Promise<void>;
}

const CHANNEL_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

function assertChannel(channel: string): void {
  if (typeof channel !== 'string' || !CHANNEL_PATTERN.test(channel))
    throw new QueueError(
      QueueErrorCode.INVALID_ARGUMENT,
      `invalid channel ${JSON.stringify(channel)}: [A-Za-z0-9._:-], 1..200 characters`,
    );
}

/** A listener that throws must not stop the others (nor the bus). */
function deliver(
  listeners: Iterable<EventListener>,
  event: JsonValue,
  onError: (e: Error) => void,
) {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch (err) {
      onError(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

export class InProcessEventBus implements EventBus {
  private readonly listeners = new Map<string, Set<EventListener>>();
  private closed = false;

  constructor(private readonly onError: (e: Error) => void = (e) => console.error(e)) {}

  async publish(channel: string, event: JsonValue): Promise<void> {
    assertChannel(channel);
    if (this.closed) throw new QueueError(QueueErrorCode.CLOSED, 'the event bus is closed');
    const copy = toJson(event, 'the event');
    const set = this.listeners.get(channel);
    // Asynchronous, as over Redis: a publisher never runs subscriber code inside its own call.
    if (set) queueMicrotask(() => deliver(set, copy, this.onError));
  }

  async subscribe(channel: string, listener: EventListener): Promise<Unsubscribe> {
    assertChannel(channel);
    if (this.closed) throw new QueueError(QueueErrorCode.CLOSED, 'the event bus is closed');
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    const entry: EventListener = (e) => listener(e);
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.listeners.get(channel) === set) this.listeners.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}

export interface RedisEventBusOptions {
  /** ioredis options or a redis:// URL. */
  readonly connection: RedisOptions | string;
  /** Prefix of the Redis channels; processes that talk to each other use the same one. Default 'padim'. */
  readonly prefix?: string;
  readonly onError?: (e: Error) => void;
}

/**
 * Redis pub/sub. One publishing connection and one subscriber connection (opened on the first
 * subscribe) per bus; a Redis channel is subscribed while this process has a listener on it.
 */
export class RedisEventBus implements EventBus {
  private readonly prefix: string;
  private readonly onError: (e: Error) => void;
  private readonly pub: Redis;
  private sub: Redis | undefined;
  private readonly emitter = new EventEmitter();
  private readonly counts = new Map<string, number>();
  private readonly ready = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly options: RedisEventBusOptions) {
    this.prefix = options.prefix ?? 'padim';
    this.onError = options.onError ?? ((e) => console.error(e));
    this.pub = this.connect();
    this.emitter.setMaxListeners(0);
  }

  private connect(): Redis {
    const c = this.options.connection;
    const redis =
      typeof c === 'string'
        ? new Redis(c, { maxRetriesPerRequest: null })
        : new Redis({ ...c, maxRetriesPerRequest: null });
    redis.on('error', (e: Error) => this.onError(e));
    return redis;
  }

  private key(channel: string): string {
    return `${this.prefix}:events:${channel}`;
  }

  async publish(channel: string, event: JsonValue): Promise<void> {
    assertChannel(channel);
    if (this.closed) throw new QueueError(QueueErrorCode.CLOSED, 'the event bus is closed');
    await this.pub.publish(this.key(channel), JSON.stringify(toJson(event, 'the event')));
  }

  async subscribe(channel: string, listener: EventListener): Promise<Unsubscribe> {
    assertChannel(channel);
    if (this.closed) throw new QueueError(QueueErrorCode.CLOSED, 'the event bus is closed');
    if (!this.sub) {
      this.sub = this.connect();
      this.sub.on('message', (redisChannel: string, message: string) => {
        let event: JsonValue;
        try {
          event = JSON.parse(message) as JsonValue;
        } catch {
          this.onError(new Error(`event bus: a message on ${redisChannel} is not JSON`));
          return;
        }
        const listeners = this.emitter.listeners(redisChannel) as EventListener[];
        deliver(listeners, event, this.onError);
      });
    }
    const key = this.key(channel);
    const entry: EventListener = (e) => listener(e);
    this.emitter.on(key, entry);
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    // Every subscriber of a channel waits for the one SUBSCRIBE (not only the first).
    if (count === 1)
      this.ready.set(
        key,
        this.sub.subscribe(key).then(() => undefined),
      );
    try {
      await this.ready.get(key);
    } catch (error) {
      this.emitter.off(key, entry);
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left > 0) this.counts.set(key, left);
      else {
        this.counts.delete(key);
        this.ready.delete(key);
      }
      throw error;
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.emitter.off(key, entry);
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left > 0) this.counts.set(key, left);
      else {
        this.counts.delete(key);
        this.ready.delete(key);
        if (!this.closed) this.sub?.unsubscribe(key).catch((e: Error) => this.onError(e));
      }
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.emitter.removeAllListeners();
    this.counts.clear();
    await Promise.all([this.pub.quit(), this.sub?.quit()].map((p) => p?.catch(() => undefined)));
  }
}
