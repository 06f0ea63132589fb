import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { Organization } from '../auth/models/auth.model.js';
import { CreateOrganizationInput, UpdateOrganizationInput } from './dto/organization.input.js';
import { OrganizationsService } from './organizations.service.js';

@UseGuards(AuthGuard)
@Resolver(() => Organization)
export class OrganizationsResolver {
  constructor(private readonly service: OrganizationsService) {}

  @Query(() => Organization, { description: 'The active organization of the caller.' })
  organization(@CurrentActor() actor: Actor): Promise<Organization> {
    return this.service.active(actor);
  }

  @Mutation(() => Organization, {
    description:
      'Creates an organization with the caller as its OWNER. The session is not switched: call switchOrganization to act in it.',
  })
  createOrganization(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateOrganizationInput,
  ): Promise<Organization> {
    return this.service.create(actor, input);
  }

  @Mutation(() => Organization, { description: 'Renames the active organization (OWNER).' })
  updateOrganization(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateOrganizationInput,
  ): Promise<Organization> {
    return this.service.update(actor, input);
  }
}
