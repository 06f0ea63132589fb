'use client';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { graphql } from '@/gql';
import type { Role, SettingsApiKeysQuery } from '@/gql/graphql';
import { mutate } from '@/lib/client';
import { ConfirmButton } from './ConfirmButton';
import { DateTime } from './DateTime';
import { Notice } from './Notice';
import { useAction } from './useAction';
import { assignableRoles, ROLE_HINT, ROLE_TEXT } from './roles';
import { SecretReveal } from './SecretReveal';
import styles from './settings.module.css';

const CreateApiKey = graphql(`
  mutation SettingsCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey {
        id
        name
        prefix
        role
      }
    }
  }
`);

const RevokeApiKey = graphql(`
  mutation SettingsRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

type ApiKey = SettingsApiKeysQuery['apiKeys'][number];

export function ApiKeysManager({
  apiKeys,
  viewerRole,
}: {
  apiKeys: ApiKey[];
  viewerRole: Role | null;
}) {
  const router = useRouter();
  // Keys never get OWNER powers (the API refuses them).
  const roles = assignableRoles(viewerRole).filter((r) => r !== 'OWNER');
  const nameId = useId();
  const roleId = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('INSPECTOR');
  const { busy: creating, notice, run } = useAction('The key was not created: ');
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setCreated(null);
    await run(async () => {
      const { createApiKey } = await mutate(CreateApiKey, { input: { name: name.trim(), role } });
      setCreated({ name: createApiKey.apiKey.name, secret: createApiKey.secret });
      setName('');
      router.refresh();
    });
  }

  const active = apiKeys.filter((k) => !k.revokedAt);
  const revoked = apiKeys.filter((k) => k.revokedAt);

  return (
    <>
      <section className="card" aria-labelledby="create-key-title">
        <h2 id="create-key-title">Create an API key</h2>
        <p className="muted">
          For cameras, line PCs and scripts: send it as{' '}
          <code>Authorization: Bearer &lt;key&gt;</code>. Give each machine its own key, with the
          least role it needs.
        </p>
        <form className={styles.inline} onSubmit={create}>
          <label htmlFor={nameId} className={styles.grow}>
            Name
            <input
              id={nameId}
              required
              maxLength={100}
              placeholder="e.g. line-3 camera PC"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <div className={styles.field}>
            <label htmlFor={roleId}>Role</label>
            <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_TEXT[r]}: {ROLE_HINT[r]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="primary" disabled={creating}>
            {creating ? 'Creating…' : 'Create key'}
          </button>
        </form>
        <Notice notice={notice} />
        {created && (
          <SecretReveal
            title={`API key “${created.name}” created`}
            what="key"
            secret={created.secret}
            onDone={() => setCreated(null)}
          />
        )}
      </section>

      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        {apiKeys.length === 0 ? (
          <p className="muted">No API keys yet.</p>
        ) : (
          <div className={styles.tableWrap}>
            <table data-testid="api-keys">
              <caption className="sr-only">
                API keys: {active.length} active, {revoked.length} revoked
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...active, ...revoked].map((k) => (
                  <KeyRow key={k.id} apiKey={k} onChanged={() => router.refresh()} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function KeyRow({ apiKey, onChanged }: { apiKey: ApiKey; onChanged: () => void }) {
  const { busy, notice, run } = useAction();

  const revoke = () =>
    run(async () => {
      await mutate(RevokeApiKey, { id: apiKey.id });
      onChanged();
      return 'Revoked.';
    });

  return (
    <tr className={apiKey.revokedAt ? styles.revoked : undefined}>
      <td>{apiKey.name}</td>
      <td className="mono">{apiKey.prefix}</td>
      <td>{ROLE_TEXT[apiKey.role]}</td>
      <td>
        <DateTime value={apiKey.createdAt} />
      </td>
      <td>
        <DateTime value={apiKey.lastUsedAt} fallback="never" />
      </td>
      <td>
        {apiKey.revokedAt ? (
          <span className="badge defect">
            Revoked <DateTime value={apiKey.revokedAt} />
          </span>
        ) : (
          <span className="badge good">Active</span>
        )}
      </td>
      <td>
        {!apiKey.revokedAt && (
          <ConfirmButton
            confirm="Yes, revoke"
            label={`Revoke key ${apiKey.name}`}
            busy={busy}
            onConfirm={revoke}
          >
            Revoke
          </ConfirmButton>
        )}
        <Notice notice={notice} />
      </td>
    </tr>
  );
}
