'use client';
import { useCallback, useEffect, useState } from 'react';
import { graphql } from '@/gql';
import type { SettingsWebhookDeliveriesQuery } from '@/gql/graphql';
import { errorMessage, request } from '@/lib/client';
import { DateTime } from './DateTime';
import styles from './settings.module.css';

const WebhookDeliveriesQuery = graphql(`
  query SettingsWebhookDeliveries($webhookId: ID!, $first: Int, $after: String) {
    webhookDeliveries(webhookId: $webhookId, first: $first, after: $after) {
      edges {
        node {
          id
          event
          status
          attempts
          responseStatus
          error
          createdAt
          deliveredAt
          nextAttemptAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAGE_SIZE = 20;

type Delivery = SettingsWebhookDeliveriesQuery['webhookDeliveries']['edges'][number]['node'];

/** A webhook's delivery history, newest first. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const { webhookDeliveries } = await request(WebhookDeliveriesQuery, {
          webhookId,
          first: PAGE_SIZE,
          after,
        });
        const nodes = webhookDeliveries.edges.map((e) => e.node);
        setDeliveries((prev) => (after ? [...prev, ...nodes] : nodes));
        setNext(
          webhookDeliveries.pageInfo.hasNextPage ? webhookDeliveries.pageInfo.endCursor : null,
        );
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setLoading(false);
      }
    },
    [webhookId],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return (
    <section className={styles.deliveries} aria-label="Delivery log" aria-busy={loading}>
      <div className="spread">
        <h3>Delivery log</h3>
        <button type="button" disabled={loading} onClick={() => void load(null)}>
          Refresh
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          The deliveries could not be loaded: {error}
        </p>
      )}
      {!loading && !error && deliveries.length === 0 && (
        <p className="muted">
          No deliveries yet: nothing has happened that this webhook listens to.
        </p>
      )}
      {deliveries.length > 0 && (
        <div className={styles.tableWrap}>
          <table>
            <caption className="sr-only">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Response</th>
                <th scope="col">Error</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td className="mono">{d.event}</td>
                  <td>
                    <span className={`badge ${d.status}`}>{d.status.toLowerCase()}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.responseStatus ?? <span className="muted">—</span>}</td>
                  <td className={styles.deliveryError}>
                    {d.error ?? <span className="muted">—</span>}
                  </td>
                  <td>
                    <DateTime value={d.createdAt} />
                    {d.status === 'PENDING' && d.nextAttemptAt && (
                      <div className="muted">
                        retry <DateTime value={d.nextAttemptAt} />
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status" className="muted">
        {loading ? 'Loading deliveries…' : ''}
      </p>
      {next && !loading && (
        <button type="button" onClick={() => void load(next)}>
          Show older deliveries
        </button>
      )}
    </section>
  );
}
