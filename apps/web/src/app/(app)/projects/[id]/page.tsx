import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { graphql } from '@/gql';
import { ApiError } from '@/lib/errors';
import { query } from '@/lib/server';
import { canManage } from '@/components/models/format';
import { CreateProductModelForm } from '@/components/projects/CreateProductModelForm';
import { ProductModelTable } from '@/components/projects/ProductModelTable';

export const metadata: Metadata = { title: 'Project · PaDiM' };

const ProjectPage = graphql(`
  query ProjectPage($id: ID!) {
    viewer {
      role
    }
    project(id: $id) {
      id
      name
      description
      createdAt
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
`);

export default async function Project({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const data = await query(ProjectPage, { id }).catch((error: unknown) => {
    if (error instanceof ApiError && ['NOT_FOUND', 'BAD_USER_INPUT'].includes(error.code))
      notFound();
    throw error;
  });
  const { project, viewer } = data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="muted">
        <Link href="/">Overview</Link> / {project.name}
      </nav>
      <h1>{project.name}</h1>
      {project.description && <p>{project.description}</p>}
      <section className="card" aria-labelledby="pm-title">
        <h2 id="pm-title">Product models</h2>
        <ProductModelTable
          productModels={project.productModels}
          caption={`Product models of ${project.name}`}
        />
      </section>
      {canManage(viewer.role) && (
        <section className="card">
          <CreateProductModelForm projects={[project]} projectId={project.id} />
        </section>
      )}
    </>
  );
}
