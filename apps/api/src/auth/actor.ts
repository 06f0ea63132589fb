import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { AuthErrorCode, AuthException } from './auth.exception.js';
import { Permission, can, type Role } from './roles.js';

/** Who is calling: a signed-in user (session) or a machine (API key), acting in one organization. */
export interface Actor {
  readonly kind: 'user' | 'apiKey';
  readonly userId: string | null;
  readonly apiKeyId: string | null;
  readonly sessionId: string | null;
  /** null for a user who belongs to no organization yet (or has not chosen one). */
  readonly organizationId: string | null;
  readonly role: Role | null;
}

/** The GraphQL context: the raw bearer token and, once resolved by AuthGuard, the actor. */
export interface GqlContext {
  req: Request & { actor?: Actor };
  token: string | null;
}

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer '))
    return header.slice(7).trim() || null;
  const key = req.headers['x-api-key'];
  return typeof key === 'string' && key.length > 0 ? key : null;
}

/** Resolver parameter: the actor that AuthGuard resolved. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => {
    const ctx = GqlExecutionContext.create(context).getContext<GqlContext>();
    if (!ctx.req.actor)
      throw new AuthException(AuthErrorCode.NOT_AUTHENTICATED, 'sign in or send an API key');
    return ctx.req.actor;
  },
);

/** The organization and role of an actor that must act in one, with `permission`. */
export function requireTenant(
  actor: Actor,
  permission: Permission,
): { organizationId: string; role: Role } {
  if (!actor.organizationId || !actor.role) {
    throw new AuthException(
      AuthErrorCode.NO_ORGANIZATION,
      'choose an organization first (switchOrganization)',
    );
  }
  if (!can(actor.role, permission)) {
    throw new AuthException(
      AuthErrorCode.PERMISSION_DENIED,
      `the ${actor.role} role may not do this (${permission})`,
    );
  }
  return { organizationId: actor.organizationId, role: actor.role };
}
