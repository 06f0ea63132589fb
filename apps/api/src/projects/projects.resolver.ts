import { pagedComplexity } from '../common/complexity.js';
import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { PageArgs } from '../common/pagination/cursor.js';
import { CreateProjectInput, UpdateProjectInput } from './dto/project.input.js';
import { Project, ProjectConnection } from './models/project.model.js';
import { ProjectsService } from './projects.service.js';

@UseGuards(AuthGuard)
@Resolver(() => Project)
export class ProjectsResolver {
  constructor(private readonly service: ProjectsService) {}

  @Query(() => ProjectConnection, {
    description: 'Projects of the active organization, newest first.',
    complexity: pagedComplexity,
  })
  projects(@CurrentActor() actor: Actor, @Args() page: PageArgs): Promise<ProjectConnection> {
    return this.service.list(actor, page.first, page.after);
  }

  @Query(() => Project)
  project(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Project> {
    return this.service.get(actor, id);
  }

  @Mutation(() => Project)
  createProject(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateProjectInput,
  ): Promise<Project> {
    return this.service.create(actor, input);
  }

  @Mutation(() => Project)
  updateProject(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateProjectInput,
  ): Promise<Project> {
    return this.service.update(actor, input);
  }

  @Mutation(() => Project)
  deleteProject(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Project> {
    return this.service.delete(actor, id);
  }
}
