import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GqlContext } from './actor.js';
import { AuthErrorCode, AuthException } from './auth.exception.js';
import { AuthService } from './auth.service.js';

/** Resolves the bearer token (session or API key) to an Actor, or answers UNAUTHENTICATED. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const ctx = GqlExecutionContext.create(context).getContext<GqlContext>();
    if (!ctx.token)
      throw new AuthException(AuthErrorCode.NOT_AUTHENTICATED, 'sign in or send an API key');
    ctx.req.actor ??= await this.auth.resolveToken(ctx.token);
    return true;
  }
}
