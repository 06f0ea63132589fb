'use client';
import { useSyncExternalStore } from 'react';

const UTC = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});
const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const subscribe = () => () => undefined;

/**
 * A timestamp in the reader's own time zone. The server (and hydration) render UTC, which is the
 * same everywhere, so the markup matches; the browser then shows local time.
 */
export function DateTime({ value, fallback = '—' }: { value: string | null; fallback?: string }) {
  const client = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  if (!value) return <span className="muted">{fallback}</span>;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{value}</span>;
  return (
    <time dateTime={value} title={date.toISOString()}>
      {client ? LOCAL.format(date) : `${UTC.format(date)} UTC`}
    </time>
  );
}
