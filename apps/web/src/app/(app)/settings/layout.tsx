import type { ReactNode } from 'react';
import { SettingsNav } from '@/components/settings/SettingsNav';
import { graphql } from '@/gql';
import { query } from '@/lib/server';

const SettingsViewer = graphql(`
  query SettingsViewer {
    viewer {
      role
    }
  }
`);

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const { viewer } = await query(SettingsViewer);
  if (viewer.role !== 'OWNER' && viewer.role !== 'ADMIN') {
    return (
      <section className="card">
        <h1>Settings</h1>
        <p>
          Members, API keys and webhooks are managed by the organization&rsquo;s owners and
          administrators. Ask one of them if you need a change.
        </p>
      </section>
    );
  }
  return (
    <div>
      <h1>Settings</h1>
      <SettingsNav />
      <div>{children}</div>
    </div>
  );
}
