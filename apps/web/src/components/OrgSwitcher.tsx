'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { graphql } from '@/gql';
import { errorMessage, mutate } from '@/lib/client';

const Switch = graphql(`
  mutation SwitchOrganization($input: SwitchOrganizationInput!) {
    switchOrganization(input: $input) {
      role
    }
  }
`);

export function OrgSwitcher({
  active,
  organizations,
}: {
  active: string | null;
  organizations: { id: string; name: string; role: string }[];
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <label className="org">
      <span className="sr-only">Organization</span>
      <select
        value={active ?? ''}
        onChange={async (e) => {
          setError(null);
          try {
            await mutate(Switch, { input: { organizationId: e.target.value } });
            router.push('/');
            router.refresh();
          } catch (err) {
            setError(errorMessage(err));
          }
        }}
      >
        {!active && <option value="">Choose an organization</option>}
        {organizations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </label>
  );
}
