import Link from 'next/link';
import type { AuditEventsQuery } from '@/gql/graphql';
import { DateTime } from './DateTime';
import styles from './settings.module.css';

type AuditEvent = AuditEventsQuery['auditEvents']['edges'][number]['node'];

const ACTOR_TEXT: Record<AuditEvent['actorType'], string> = {
  USER: 'person',
  API_KEY: 'API key',
  SYSTEM: 'system',
};

/** Names of the organization's people and API keys, by id. */
export interface ActorNames {
  readonly users: ReadonlyMap<string, string>;
  readonly apiKeys: ReadonlyMap<string, string>;
}

function actorName(e: AuditEvent, actors: ActorNames): string {
  if (e.actorLabel) return e.actorLabel;
  if (e.actorType === 'USER' && e.actorUserId)
    return actors.users.get(e.actorUserId) ?? `former member ${e.actorUserId.slice(-8)}`;
  if (e.actorType === 'API_KEY' && e.actorApiKeyId)
    return actors.apiKeys.get(e.actorApiKeyId) ?? `key ${e.actorApiKeyId.slice(-8)}`;
  return ACTOR_TEXT[e.actorType];
}

function field(data: unknown, key: string): string | null {
  if (data && typeof data === 'object' && key in data) {
    const v = (data as Record<string, unknown>)[key];
    return typeof v === 'string' ? v : null;
  }
  return null;
}

/** Where a target can be opened in the dashboard, if anywhere. */
function targetHref(e: AuditEvent): string | null {
  if (!e.targetId) return null;
  switch (e.targetType) {
    case 'Dataset':
      return `/datasets/${e.targetId}`;
    case 'DatasetSnapshot': {
      const datasetId = field(e.data, 'datasetId');
      return datasetId ? `/datasets/${datasetId}` : null;
    }
    case 'ProductModel':
      return `/models/${e.targetId}`;
    case 'Webhook':
      return '/settings/webhooks';
    case 'Membership':
      return '/settings/members';
    default:
      return null;
  }
}

export function AuditTable({ events, actors }: { events: AuditEvent[]; actors: ActorNames }) {
  return (
    <div className={styles.tableWrap}>
      <table data-testid="audit-events">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const href = targetHref(e);
            const target = (
              <>
                {e.targetType}
                {e.targetId && <span className="mono"> {e.targetId.slice(-8)}</span>}
              </>
            );
            return (
              <tr key={e.id} data-action={e.action}>
                <td>
                  <DateTime value={e.createdAt} />
                </td>
                <td>
                  <span className={styles.actor}>
                    <span>{actorName(e, actors)}</span>
                    {e.actorType !== 'USER' && (
                      <span className="badge">{ACTOR_TEXT[e.actorType]}</span>
                    )}
                  </span>
                </td>
                <td className="mono">{e.action}</td>
                <td title={e.targetId ?? undefined}>
                  {href ? <Link href={href}>{target}</Link> : target}
                </td>
                <td className={styles.data}>
                  {e.data === null || e.data === undefined ? (
                    <span className="muted">—</span>
                  ) : (
                    <details>
                      <summary>
                        Data<span className="sr-only"> of {e.action}</span>
                      </summary>
                      <pre>{JSON.stringify(e.data, null, 2)}</pre>
                    </details>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
