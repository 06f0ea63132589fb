import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, type Actor } from './actor.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import {
  CreateApiKeyInput,
  SignInInput,
  SignUpInput,
  SwitchOrganizationInput,
} from './dto/auth.input.js';
import { ApiKey, AuthPayload, CreatedApiKey, Viewer } from './models/auth.model.js';
import { ViewerService } from './viewer.service.js';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly viewers: ViewerService,
    private readonly keys: ApiKeysService,
  ) {}

  @Mutation(() => AuthPayload, {
    description: 'Creates an account, its first organization and a session.',
  })
  async signUp(@Args('input') input: SignUpInput): Promise<AuthPayload> {
    const { token, user } = await this.auth.signUp(input);
    return { token, user };
  }

  @Mutation(() => AuthPayload)
  async signIn(@Args('input') input: SignInInput): Promise<AuthPayload> {
    return this.auth.signIn(input.email, input.password);
  }

  @UseGuards(AuthGuard)
  @Mutation(() => Boolean)
  async signOut(@CurrentActor() actor: Actor): Promise<boolean> {
    await this.auth.signOut(actor);
    return true;
  }

  @UseGuards(AuthGuard)
  @Query(() => Viewer)
  async viewer(@CurrentActor() actor: Actor): Promise<Viewer> {
    return this.viewers.viewer(actor);
  }

  @UseGuards(AuthGuard)
  @Mutation(() => Viewer)
  async switchOrganization(
    @CurrentActor() actor: Actor,
    @Args('input') input: SwitchOrganizationInput,
  ): Promise<Viewer> {
    await this.auth.switchOrganization(actor, input.organizationId);
    return this.viewers.viewer(await this.auth.resolveTokenForSession(actor));
  }

  @UseGuards(AuthGuard)
  @Query(() => [ApiKey])
  async apiKeys(@CurrentActor() actor: Actor): Promise<ApiKey[]> {
    return this.keys.list(actor);
  }

  @UseGuards(AuthGuard)
  @Mutation(() => CreatedApiKey, {
    description: 'Creates an API key for machine clients (header Authorization: Bearer <secret>).',
  })
  async createApiKey(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateApiKeyInput,
  ): Promise<CreatedApiKey> {
    return this.keys.create(actor, input);
  }

  @UseGuards(AuthGuard)
  @Mutation(() => ApiKey)
  async revokeApiKey(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ApiKey> {
    return this.keys.revoke(actor, id);
  }
}
