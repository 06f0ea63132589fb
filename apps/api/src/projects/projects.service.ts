import { Inject, Injectable } from '@nestjs/common';
import { Prisma } from '@padim/db';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { pageWindow, toConnection } from '../common/pagination/cursor.js';
import { TenantDb } from '../database/tenant-db.js';
import { datasetPrefix } from '../datasets/datasets.service.js';
import { OBJECT_STORE } from '../storage/storage.module.js';
import { TenantObjectStore, type ObjectStore } from '@padim/storage';
import type { CreateProjectInput, UpdateProjectInput } from './dto/project.input.js';
import type { Project, ProjectConnection } from './models/project.model.js';
import { ProjectErrorCode, ProjectException } from './projects.exception.js';

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200)
    throw new ProjectException(
      ProjectErrorCode.INVALID_NAME,
      'the name must be 1 to 200 characters',
    );
  return trimmed;
}

function conflict(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    throw new ProjectException(ProjectErrorCode.NAME_TAKEN, 'a project with this name exists');
  }
  throw error;
}

@Injectable()
export class ProjectsService {
  constructor(
    private readonly tenants: TenantDb,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
  ) {}

  async list(
    actor: Actor,
    first: number | undefined,
    after: string | undefined,
  ): Promise<ProjectConnection> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const { where, orderBy, take, size } = pageWindow({ first, after });
    const rows = await db.project.findMany({
      where,
      orderBy,
      take,
    });
    return toConnection(rows, size);
  }

  async get(actor: Actor, id: string): Promise<Project> {
    const { db } = this.tenants.for(actor, Permission.READ);
    const project = await db.project.findFirst({
      where: { id },
    });
    if (!project) throw new ProjectException(ProjectErrorCode.NOT_FOUND, 'no such project');
    return project;
  }

  async create(actor: Actor, input: CreateProjectInput): Promise<Project> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_PROJECTS);
    const name = checkName(input.name);
    return db.project
      .create({
        data: { organizationId, name, description: input.description?.trim() || null },
      })
      .catch(conflict);
  }

  async update(actor: Actor, input: UpdateProjectInput): Promise<Project> {
    const { db } = this.tenants.for(actor, Permission.MANAGE_PROJECTS);
    await this.get(actor, input.id);
    return db.project
      .update({
        where: { id: input.id },
        data: {
          ...(input.name != null ? { name: checkName(input.name) } : {}),
          ...(input.description !== undefined
            ? { description: input.description?.trim() || null }
            : {}),
        },
      })
      .catch(conflict);
  }

  async delete(actor: Actor, id: string): Promise<Project> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_PROJECTS);
    const project = await this.get(actor, id);
    const datasets = await db.dataset.findMany({
      where: { productModel: { projectId: id } },
      select: { id: true },
    });
    await db.project.delete({ where: { id } });
    // The rows are gone (cascade): their stored images follow.
    const store = new TenantObjectStore(this.store, organizationId);
    for (const d of datasets) await store.deletePrefix(datasetPrefix(organizationId, d.id));
    return project;
  }
}
