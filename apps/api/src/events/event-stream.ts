import type { EventBus, JsonValue } from '@padim/queue';

/**
 * Events held for one subscriber that reads slower than they arrive (a slow socket). Past it the
 * oldest are dropped: the bus delivers at most once anyway, and whatever must not be lost is in
 * the database (clients catch up with a query).
 */
export const MAX_PENDING_EVENTS = 256;

export interface EventStreamOptions {
  readonly maxPending?: number;
  /** Called when an event is dropped because `maxPending` are waiting; `dropped` counts them all. */
  readonly onDrop?: (dropped: number) => void;
}

/**
 * Subscribes to `channel` and yields `select(event)` for every event it keeps (undefined: skip),
 * through a bounded queue. Resolves once the bus subscription is live; `return()` (a client's
 * unsubscribe, a closed socket) unsubscribes from the bus.
 */
export async function eventStream<T>(
  bus: EventBus,
  channel: string,
  select: (event: JsonValue) => T | undefined,
  options: EventStreamOptions = {},
): Promise<AsyncIterableIterator<T>> {
  const maxPending = options.maxPending ?? MAX_PENDING_EVENTS;
  const pending: T[] = [];
  const readers: ((result: IteratorResult<T>) => void)[] = [];
  let dropped = 0;
  let done = false;

  const unsubscribe = await bus.subscribe(channel, (event) => {
    if (done) return;
    const value = select(event);
    if (value === undefined) return;
    const reader = readers.shift();
    if (reader) return reader({ value, done: false });
    pending.push(value);
    if (pending.length > maxPending) {
      pending.shift();
      options.onDrop?.(++dropped);
    }
  });

  const finish = (): IteratorResult<T> => {
    if (!done) {
      done = true;
      pending.length = 0;
      unsubscribe();
      for (const reader of readers.splice(0)) reader({ value: undefined, done: true });
    }
    return { value: undefined, done: true };
  };

  const iterator: AsyncIterableIterator<T> = {
    next(): Promise<IteratorResult<T>> {
      const value = pending.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => readers.push(resolve));
    },
    return(): Promise<IteratorResult<T>> {
      return Promise.resolve(finish());
    },
    throw(error: unknown): Promise<IteratorResult<T>> {
      finish();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
