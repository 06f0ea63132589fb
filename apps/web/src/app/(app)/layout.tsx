import Link from 'next/link';
import type { ReactNode } from 'react';
import { signOut } from '@/app/actions/auth';
import { OrgSwitcher } from '@/components/OrgSwitcher';
import { NavLink } from '@/components/NavLink';
import { graphql } from '@/gql';
import { query } from '@/lib/server';

const ShellViewer = graphql(`
  query ShellViewer {
    viewer {
      role
      user {
        id
        name
        email
      }
      activeOrganization {
        id
        name
      }
      memberships {
        role
        organization {
          id
          name
        }
      }
    }
  }
`);

export default async function AppLayout({ children }: { children: ReactNode }) {
  const { viewer } = await query(ShellViewer);
  const admin = viewer.role === 'OWNER' || viewer.role === 'ADMIN';
  return (
    <div className="shell">
      <a href="#main" className="skip">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          PaDiM<span> inspection</span>
        </Link>
        <nav aria-label="Main" className="mainnav">
          <NavLink href="/">Overview</NavLink>
          <NavLink href="/review">Review queue</NavLink>
          <NavLink href="/inspections">Inspections</NavLink>
          {admin && <NavLink href="/audit">Audit log</NavLink>}
          {admin && <NavLink href="/settings/members">Settings</NavLink>}
        </nav>
        <div className="topbar-right">
          <OrgSwitcher
            active={viewer.activeOrganization?.id ?? null}
            organizations={viewer.memberships.map((m) => ({
              id: m.organization.id,
              name: m.organization.name,
              role: m.role,
            }))}
          />
          <span className="muted who" title={viewer.user?.email}>
            {viewer.user?.name} · {viewer.role?.toLowerCase()}
          </span>
          <form action={signOut}>
            <button type="submit" className="ghost">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="main" className="content">
        {viewer.activeOrganization ? (
          children
        ) : (
          <section className="card">
            <h1>No organization</h1>
            <p>Choose an organization above, or ask an administrator to add you to one.</p>
          </section>
        )}
      </main>
    </div>
  );
}
