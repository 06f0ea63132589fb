import { Inject, UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { PrismaClient } from '@padim/db';
import { PRISMA } from '../database/database.module.js';
import { forTenant } from '@padim/db';
import { CurrentActor, requireTenant, type Actor } from './actor.js';
import { AuthErrorCode, AuthException } from './auth.exception.js';
import { AuthGuard } from './auth.guard.js';
import { AuditService } from '../audit/audit.service.js';
import { AuthService } from './auth.service.js';
import {
  CreateApiKeyInput,
  SignInInput,
  SignUpInput,
  SwitchOrganizationInput,
} from './dto/auth.input.js';
import { ApiKey, AuthPayload, CreatedApiKey, Viewer } from './models/auth.model.js';
import { Permission, type Role } from './roles.js';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
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
    const user = actor.userId
      ? await this.prisma.user.findUnique({ where: { id: actor.userId } })
      : null;
    const memberships = actor.userId
      ? await this.prisma.membership.findMany({
          where: { userId: actor.userId },
          include: { organization: true },
          orderBy: { createdAt: 'asc' },
        })
      : [];
    const activeOrganization = actor.organizationId
      ? await this.prisma.organization.findUnique({ where: { id: actor.organizationId } })
      : null;
    return {
      user,
      memberships: memberships.map((m) => ({ organization: m.organization, role: m.role as Role })),
      activeOrganization,
      role: actor.role,
    };
  }

  @UseGuards(AuthGuard)
  @Mutation(() => Viewer)
  async switchOrganization(
    @CurrentActor() actor: Actor,
    @Args('input') input: SwitchOrganizationInput,
  ): Promise<Viewer> {
    await this.auth.switchOrganization(actor, input.organizationId);
    return this.viewer(await this.auth.resolveTokenForSession(actor));
  }

  @UseGuards(AuthGuard)
  @Query(() => [ApiKey])
  async apiKeys(@CurrentActor() actor: Actor): Promise<ApiKey[]> {
    const { organizationId } = requireTenant(actor, Permission.MANAGE_API_KEYS);
    const keys = await forTenant(this.prisma, organizationId).apiKey.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return keys.map((k) => ({ ...k, role: k.role as Role }));
  }

  @UseGuards(AuthGuard)
  @Mutation(() => CreatedApiKey, {
    description: 'Creates an API key for machine clients (header Authorization: Bearer <secret>).',
  })
  async createApiKey(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateApiKeyInput,
  ): Promise<CreatedApiKey> {
    const { organizationId } = requireTenant(actor, Permission.MANAGE_API_KEYS);
    const { key, secret } = await this.auth.createApiKey(actor, organizationId, input);
    await this.audit.record(actor, {
      organizationId,
      action: 'api_key.create',
      targetType: 'ApiKey',
      targetId: key.id,
      data: { name: key.name, role: key.role, prefix: key.prefix },
    });
    return { apiKey: { ...key, role: key.role as Role }, secret };
  }

  @UseGuards(AuthGuard)
  @Mutation(() => ApiKey)
  async revokeApiKey(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ApiKey> {
    const { organizationId } = requireTenant(actor, Permission.MANAGE_API_KEYS);
    const db = forTenant(this.prisma, organizationId);
    const existing = await db.apiKey.findFirst({ where: { id } });
    if (!existing) throw new AuthException(AuthErrorCode.NOT_FOUND, 'no such API key');
    const key = await db.apiKey.update({
      where: { id },
      data: { revokedAt: existing.revokedAt ?? new Date() },
    });
    if (!existing.revokedAt)
      await this.audit.record(actor, {
        organizationId,
        action: 'api_key.revoke',
        targetType: 'ApiKey',
        targetId: key.id,
        data: { name: key.name, prefix: key.prefix },
      });
    return { ...key, role: key.role as Role };
  }
}
