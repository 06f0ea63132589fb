import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { PageArgs } from '../common/pagination/cursor.js';
import { AddMemberInput, ChangeMemberRoleInput } from './dto/member.input.js';
import { MembersService } from './members.service.js';
import { Member, MemberConnection } from './models/member.model.js';

@UseGuards(AuthGuard)
@Resolver(() => Member)
export class MembersResolver {
  constructor(private readonly service: MembersService) {}

  @Query(() => MemberConnection, {
    description: 'Members of the active organization, newest first.',
  })
  members(@CurrentActor() actor: Actor, @Args() page: PageArgs): Promise<MemberConnection> {
    return this.service.list(actor, page.first, page.after);
  }

  @Mutation(() => Member, {
    description: 'Adds an existing user to the active organization (ADMIN+).',
  })
  addMember(@CurrentActor() actor: Actor, @Args('input') input: AddMemberInput): Promise<Member> {
    return this.service.add(actor, input);
  }

  @Mutation(() => Member, {
    description: 'Changes a member’s role. The last OWNER cannot be demoted.',
  })
  changeMemberRole(
    @CurrentActor() actor: Actor,
    @Args('input') input: ChangeMemberRoleInput,
  ): Promise<Member> {
    return this.service.changeRole(actor, input);
  }

  @Mutation(() => Member, {
    description:
      'Removes a member; answers the removed membership. The last OWNER cannot be removed.',
  })
  removeMember(
    @CurrentActor() actor: Actor,
    @Args('userId', { type: () => ID }) userId: string,
  ): Promise<Member> {
    return this.service.remove(actor, userId);
  }
}
