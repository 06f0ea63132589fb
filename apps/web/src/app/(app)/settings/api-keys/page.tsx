import { ApiKeysManager } from '@/components/settings/ApiKeysManager';
import { graphql } from '@/gql';
import { query } from '@/lib/server';

const SettingsApiKeysQuery = graphql(`
  query SettingsApiKeys {
    viewer {
      role
    }
    apiKeys {
      id
      name
      prefix
      role
      createdAt
      lastUsedAt
      revokedAt
    }
  }
`);

export default async function ApiKeysPage() {
  const { viewer, apiKeys } = await query(SettingsApiKeysQuery);
  return <ApiKeysManager apiKeys={apiKeys} viewerRole={viewer.role ?? null} />;
}
