import type { Metadata } from 'next';
import Link from 'next/link';
import { graphql } from '@/gql';
import { query } from '@/lib/server';
import { canManage } from '@/components/models/format';
import { CreateProductModelForm } from '@/components/projects/CreateProductModelForm';
import { CreateProjectForm } from '@/components/projects/CreateProjectForm';
import { ProductModelTable } from '@/components/projects/ProductModelTable';
import styles from '@/components/projects/projects.module.css';

export const metadata: Metadata = { title: 'Overview · PaDiM' };

const OverviewPage = graphql(`
  query OverviewPage {
    viewer {
      role
    }
    projects(first: 40) {
      edges {
        node {
          id
          name
          description
          productModels {
            id
            name
            cameraPose
            activity {
              inspectionsToday
              flaggedToday
              unreviewedFlagged
              lastInspectionAt
            }
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

export default async function Overview() {
  const { viewer, projects } = await query(OverviewPage);
  const list = projects.edges.map((e) => e.node);
  const models = list.flatMap((p) => p.productModels);
  const engineer = canManage(viewer.role);
  const sum = (f: (a: (typeof models)[number]['activity']) => number) =>
    models.reduce((n, m) => n + f(m.activity), 0);

  return (
    <>
      <h1>Overview</h1>
      {list.length === 0 ? (
        <section className="card" aria-labelledby="welcome-title">
          <h2 id="welcome-title">Set up your first inspection</h2>
          <p>
            PaDiM learns what <strong>normal</strong> parts look like and flags images that deviate,
            with a heatmap of where. It needs no defect examples to start.
          </p>
          <ol className={styles.steps}>
            <li>
              <strong>Create a project</strong> for a production line or customer.
            </li>
            <li>
              <strong>Create a product model</strong> in it: one product seen from one camera pose
              (parts must be aligned; another pose needs its own model).
            </li>
            <li>
              On the model’s page, <strong>create a dataset and upload good images</strong> (a few
              dozen normal parts; at least 3).
            </li>
            <li>
              <strong>Train</strong> a version. A threshold is calibrated on held-out good images;
              tune it on the model page, then inspect images.
            </li>
          </ol>
          {!engineer && (
            <p className="muted">
              Your role ({viewer.role?.toLowerCase() ?? 'none'}) cannot create projects: ask an
              engineer or administrator.
            </p>
          )}
        </section>
      ) : (
        <>
          <dl className={styles.stats} aria-label="Today, all product models">
            <div className={styles.stat}>
              <dt>Inspected today</dt>
              <dd>{sum((a) => a.inspectionsToday)}</dd>
            </div>
            <div className={styles.stat}>
              <dt>Flagged today</dt>
              <dd>{sum((a) => a.flaggedToday)}</dd>
            </div>
            <div className={styles.stat}>
              <dt>
                <Link href="/review">Awaiting review</Link>
              </dt>
              <dd>{sum((a) => a.unreviewedFlagged)}</dd>
            </div>
            <div className={styles.stat}>
              <dt>Product models</dt>
              <dd>{models.length}</dd>
            </div>
          </dl>
          {list.map((p) => (
            <section key={p.id} className="card" aria-labelledby={`project-${p.id}`}>
              <div className="spread">
                <h2 id={`project-${p.id}`}>
                  <Link href={`/projects/${p.id}`}>{p.name}</Link>
                </h2>
                <span className="muted">
                  {p.productModels.length} product model{p.productModels.length === 1 ? '' : 's'}
                </span>
              </div>
              {p.description && <p className="muted">{p.description}</p>}
              <ProductModelTable
                productModels={p.productModels}
                caption={`Product models of ${p.name}`}
              />
            </section>
          ))}
          {projects.pageInfo.hasNextPage && (
            <p className="muted">Showing the 40 newest projects.</p>
          )}
        </>
      )}
      {engineer && (
        <div className={styles.forms}>
          <section className="card">
            <CreateProjectForm />
          </section>
          <section className="card">
            <CreateProductModelForm projects={list.map((p) => ({ id: p.id, name: p.name }))} />
          </section>
        </div>
      )}
    </>
  );
}
