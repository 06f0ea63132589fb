import Link from 'next/link';
import { WebhooksManager } from '@/components/settings/WebhooksManager';
import { graphql } from '@/gql';
import { query } from '@/lib/server';

const SettingsWebhooksQuery = graphql(`
  query SettingsWebhooks($first: Int, $after: String) {
    webhooks(first: $first, after: $after) {
      edges {
        node {
          id
          url
          description
          events
          active
          createdAt
          updatedAt
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

export default async function WebhooksPage({
  searchParams,
}: {
  searchParams: Promise<{ after?: string }>;
}) {
  const { after } = await searchParams;
  const { webhooks } = await query(SettingsWebhooksQuery, {
    first: PAGE_SIZE,
    after: after ?? null,
  });
  return (
    <>
      <WebhooksManager webhooks={webhooks.edges.map((e) => e.node)} />
      {(after || webhooks.pageInfo.hasNextPage) && (
        <nav className="row" aria-label="Webhook pages">
          {after && <Link href="/settings/webhooks">← First page</Link>}
          {webhooks.pageInfo.hasNextPage && webhooks.pageInfo.endCursor && (
            <Link
              href={`/settings/webhooks?after=${encodeURIComponent(webhooks.pageInfo.endCursor)}`}
            >
              Next page →
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
