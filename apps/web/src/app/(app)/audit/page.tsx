import Link from 'next/link';
import { AuditTable, type ActorNames } from '@/components/settings/AuditTable';
import { graphql } from '@/gql';
import type { AuditMembersQuery } from '@/gql/graphql';
import { ApiError } from '@/lib/errors';
import { query } from '@/lib/server';
import styles from '@/components/settings/settings.module.css';

const AuditViewer = graphql(`
  query AuditViewer {
    viewer {
      role
    }
  }
`);

const AuditMembers = graphql(`
  query AuditMembers($after: String) {
    members(first: 50, after: $after) {
      edges {
        node {
          id
          user {
            id
            name
            email
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const AuditApiKeys = graphql(`
  query AuditApiKeys {
    apiKeys {
      id
      name
      prefix
    }
  }
`);

const AuditEventsQuery = graphql(`
  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      edges {
        node {
          id
          action
          actorType
          actorLabel
          actorUserId
          actorApiKeyId
          targetType
          targetId
          data
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAGE_SIZE = 50;
const MAX_MEMBER_PAGES = 10;

/** What the API records today (the filter field takes any value; these are suggestions). */
const KNOWN_ACTIONS = [
  'dataset.create',
  'dataset.delete',
  'dataset.images_add',
  'dataset.snapshot',
  'inspection.batch',
  'member.add',
  'member.remove',
  'member.role_change',
  'model_version.promote',
  'model_version.ready',
  'organization.create',
  'organization.update',
  'product_model.create',
  'product_model.delete',
  'product_model.update',
  'review.create',
  'review.update',
  'threshold.set',
  'training.cancel',
  'training.cancelled',
  'training.failed',
  'training.fold',
  'training.start',
  'webhook.create',
  'webhook.delete',
  'webhook.rotate_secret',
  'webhook.update',
];

const TARGET_TYPES = [
  'Dataset',
  'DatasetSnapshot',
  'Inspection',
  'Membership',
  'ModelVersion',
  'Organization',
  'ProductModel',
  'Project',
  'Webhook',
];

type Search = { action?: string; targetType?: string; actor?: string; after?: string };

/** The members (up to MAX_MEMBER_PAGES pages): the "Who" filter and the actors' names. */
async function allMembers(): Promise<{ id: string; name: string; email: string }[]> {
  const users = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_MEMBER_PAGES; page++) {
    const { members }: AuditMembersQuery = await query(AuditMembers, { after });
    users.push(...members.edges.map((e) => e.node.user));
    if (!members.pageInfo.hasNextPage || !members.pageInfo.endCursor) break;
    after = members.pageInfo.endCursor;
  }
  return users.sort((a, b) => a.name.localeCompare(b.name));
}

function text(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t.slice(0, 200) : undefined;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  const { viewer } = await query(AuditViewer);
  if (viewer.role !== 'OWNER' && viewer.role !== 'ADMIN') {
    return (
      <section className="card">
        <h1>Audit log</h1>
        <p>The audit log is for the organization&rsquo;s owners and administrators.</p>
      </section>
    );
  }

  // Events name their actor by id: the people and keys of the organization give the names.
  const [users, apiKeys] = await Promise.all([allMembers(), query(AuditApiKeys)]);
  const actors: ActorNames = {
    users: new Map(users.map((u) => [u.id, `${u.name} (${u.email})`])),
    apiKeys: new Map(apiKeys.apiKeys.map((k) => [k.id, `${k.name} (${k.prefix})`])),
  };

  const action = text(search.action);
  const targetType = text(search.targetType);
  const actor = text(search.actor);
  const after = text(search.after);
  const filtered = Boolean(action || targetType || actor);
  let data;
  let error: string | null = null;
  try {
    data = await query(AuditEventsQuery, {
      filter: { action, targetType, actorUserId: actor },
      first: PAGE_SIZE,
      after: after ?? null,
    });
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'BAD_USER_INPUT') throw e;
    error = e.message;
  }
  const events = data?.auditEvents.edges.map((e) => e.node) ?? [];
  const pageInfo = data?.auditEvents.pageInfo;
  const keep = new URLSearchParams(
    Object.entries({ action, targetType, actor }).filter((e): e is [string, string] => !!e[1]),
  );
  const olderHref =
    pageInfo?.hasNextPage && pageInfo.endCursor
      ? `/audit?${new URLSearchParams([...keep, ['after', pageInfo.endCursor]])}`
      : null;

  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">
        Who changed what, newest first: thresholds, models and versions, datasets, members,
        webhooks. Entries are never changed or removed.
      </p>
      <section className="card" aria-labelledby="audit-filter-title">
        <h2 id="audit-filter-title" className="sr-only">
          Filters
        </h2>
        <form
          // A new search remounts the form, so its fields show what the URL says.
          key={keep.toString()}
          method="get"
          action="/audit"
          className={styles.filters}
        >
          <label>
            Action
            <input
              name="action"
              list="audit-actions"
              defaultValue={action ?? ''}
              placeholder="e.g. threshold.set"
              maxLength={200}
            />
            <datalist id="audit-actions">
              {KNOWN_ACTIONS.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </label>
          <div className={styles.field}>
            <label htmlFor="audit-target-type">Target type</label>
            <select id="audit-target-type" name="targetType" defaultValue={targetType ?? ''}>
              <option value="">Any</option>
              {[...new Set([...TARGET_TYPES, ...(targetType ? [targetType] : [])])].map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <div className={styles.field}>
            <label htmlFor="audit-actor">Who</label>
            <select id="audit-actor" name="actor" defaultValue={actor ?? ''}>
              <option value="">Anyone</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="primary">
            Apply filters
          </button>
          {filtered && <Link href="/audit">Clear filters</Link>}
        </form>
      </section>

      <section className="card" aria-labelledby="audit-events-title">
        <h2 id="audit-events-title" className="sr-only">
          Events
        </h2>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : events.length === 0 ? (
          <p className="muted">
            {filtered
              ? 'No events match these filters.'
              : after
                ? 'No older events.'
                : 'Nothing has been recorded yet.'}
          </p>
        ) : (
          <AuditTable events={events} actors={actors} />
        )}
        {(after || olderHref) && (
          <nav className="row" aria-label="Audit log pages">
            {after && <Link href={keep.size ? `/audit?${keep}` : '/audit'}>← Newest</Link>}
            {olderHref && <Link href={olderHref}>Older →</Link>}
          </nav>
        )}
      </section>
    </>
  );
}
