'use client';
import { useSyncExternalStore } from 'react';

const UTC = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: 'UTC',
});
const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

const subscribe = () => () => undefined;

/**
 * A timestamp in the reader's time zone. The server and hydration render UTC (the same text
 * everywhere, so the markup matches); the browser then shows local time.
 */
export function Time({ value }: { value: string | null | undefined }) {
  const client = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  if (!value) return <span className="muted">—</span>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{value}</span>;
  return (
    <time dateTime={value} title={`${date.toISOString()} (UTC)`}>
      {client ? LOCAL.format(date) : `${UTC.format(date)} UTC`}
    </time>
  );
}
