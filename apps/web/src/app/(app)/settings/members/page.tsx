import Link from 'next/link';
import { MembersManager } from '@/components/settings/MembersManager';
import { graphql } from '@/gql';
import { query } from '@/lib/server';

const SettingsMembersQuery = graphql(`
  query SettingsMembers($first: Int, $after: String) {
    viewer {
      role
      user {
        id
      }
    }
    members(first: $first, after: $after) {
      edges {
        node {
          id
          role
          createdAt
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

const PAGE_SIZE = 50;

export default async function MembersPage({
  searchParams,
}: {
  searchParams: Promise<{ after?: string }>;
}) {
  const { after } = await searchParams;
  const { viewer, members } = await query(SettingsMembersQuery, {
    first: PAGE_SIZE,
    after: after ?? null,
  });
  return (
    <>
      <MembersManager
        members={members.edges.map((e) => e.node)}
        viewerRole={viewer.role ?? null}
        viewerId={viewer.user?.id ?? null}
      />
      {(after || members.pageInfo.hasNextPage) && (
        <nav className="row" aria-label="Member pages">
          {after && <Link href="/settings/members">← First page</Link>}
          {members.pageInfo.hasNextPage && members.pageInfo.endCursor && (
            <Link
              href={`/settings/members?after=${encodeURIComponent(members.pageInfo.endCursor)}`}
            >
              Next page →
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
