import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { Prisma, type PrismaClient } from '@padim/db';
import { authenticateApiKey } from '@padim/jobs';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PRISMA } from '../database/database.module.js';
import type { Actor } from './actor.js';
import { AuthErrorCode, AuthException } from './auth.exception.js';
import { isEmail } from './email.js';
import { Permission, Role, canAssign } from './roles.js';
import { API_KEY_PREFIX, SESSION_PREFIX, hashToken, newToken } from './tokens.js';

export const MIN_PASSWORD_LENGTH = 10;

function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${base || 'org'}-${randomBytes(5).toString('hex')}`;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates a user, their first organization (as OWNER) and a session. */
  async signUp(input: { email: string; password: string; name: string; organizationName: string }) {
    const email = input.email.trim().toLowerCase();
    if (!isEmail(email))
      throw new AuthException(AuthErrorCode.INVALID_EMAIL, 'that is not an email address');
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw new AuthException(
        AuthErrorCode.WEAK_PASSWORD,
        `the password needs at least ${MIN_PASSWORD_LENGTH} characters`,
      );
    }
    const name = input.name.trim();
    const orgName = input.organizationName.trim();
    if (!name || name.length > 200 || !orgName || orgName.length > 200) {
      throw new AuthException(AuthErrorCode.INVALID_NAME, 'names must be 1 to 200 characters');
    }
    const passwordHash = await hash(input.password);
    try {
      return await this.prisma.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { email, name, passwordHash } });
        const organization = await tx.organization.create({
          data: { name: orgName, slug: slugify(orgName) },
        });
        await tx.membership.create({
          data: { organizationId: organization.id, userId: user.id, role: Role.OWNER },
        });
        const session = await this.createSession(tx, user.id, organization.id);
        return { token: session.token, user, organization };
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new AuthException(AuthErrorCode.EMAIL_TAKEN, 'an account with this email exists');
      }
      throw error;
    }
  }

  async signIn(emailInput: string, password: string) {
    const email = emailInput.trim().toLowerCase();
    const user = await this.prisma.user.findUnique({
      where: { email },
      include: { memberships: { orderBy: { createdAt: 'asc' }, take: 1 } },
    });
    // Verify even for an unknown email, so timing does not reveal which emails exist.
    const ok = await verify(user?.passwordHash ?? (await DUMMY_HASH), password).catch(() => false);
    if (!user || !ok)
      throw new AuthException(AuthErrorCode.INVALID_CREDENTIALS, 'wrong email or password');
    const session = await this.createSession(
      this.prisma,
      user.id,
      user.memberships[0]?.organizationId ?? null,
    );
    return { token: session.token, user };
  }

  async signOut(actor: Actor): Promise<void> {
    if (actor.sessionId)
      await this.prisma.session.update({
        where: { id: actor.sessionId },
        data: { revokedAt: new Date() },
      });
  }

  /** Session token or API key -> Actor; expired, revoked or unknown tokens are UNAUTHENTICATED. */
  async resolveToken(token: string): Promise<Actor> {
    const tokenHash = hashToken(token);
    const now = new Date();
    if (token.startsWith(API_KEY_PREFIX)) {
      // The platform's one API-key rule (@padim/jobs), shared with the inference service's /predict.
      const key = await authenticateApiKey(this.prisma, token, { now });
      if (!key) throw invalidToken();
      return {
        kind: 'apiKey',
        userId: null,
        apiKeyId: key.apiKeyId,
        sessionId: null,
        organizationId: key.organizationId,
        role: key.role,
      };
    }
    if (!token.startsWith(SESSION_PREFIX)) throw invalidToken();
    const session = await this.prisma.session.findUnique({ where: { tokenHash } });
    if (!session || session.revokedAt || session.expiresAt <= now) throw invalidToken();
    let role: Role | null = null;
    if (session.activeOrganizationId) {
      const m = await this.prisma.membership.findUnique({
        where: {
          organizationId_userId: {
            organizationId: session.activeOrganizationId,
            userId: session.userId,
          },
        },
      });
      role = (m?.role as Role | undefined) ?? null;
    }
    await this.prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
    return {
      kind: 'user',
      userId: session.userId,
      apiKeyId: null,
      sessionId: session.id,
      organizationId: role ? session.activeOrganizationId : null,
      role,
    };
  }

  /** Makes `organizationId` the session's active organization; NOT_FOUND unless a member. */
  async switchOrganization(actor: Actor, organizationId: string): Promise<void> {
    if (actor.kind !== 'user' || !actor.userId || !actor.sessionId) {
      throw new AuthException(
        AuthErrorCode.PERMISSION_DENIED,
        'API keys belong to one organization',
      );
    }
    const m = await this.prisma.membership.findUnique({
      where: { organizationId_userId: { organizationId, userId: actor.userId } },
    });
    if (!m) throw new AuthException(AuthErrorCode.NOT_FOUND, 'no such organization');
    await this.prisma.session.update({
      where: { id: actor.sessionId },
      data: { activeOrganizationId: organizationId },
    });
  }

  /** The actor of a session after a change to it (e.g. the active organization). */
  async resolveTokenForSession(actor: Actor): Promise<Actor> {
    const session = actor.sessionId
      ? await this.prisma.session.findUnique({ where: { id: actor.sessionId } })
      : null;
    if (!session) throw invalidToken();
    const m = session.activeOrganizationId
      ? await this.prisma.membership.findUnique({
          where: {
            organizationId_userId: {
              organizationId: session.activeOrganizationId,
              userId: session.userId,
            },
          },
        })
      : null;
    return {
      ...actor,
      organizationId: m ? m.organizationId : null,
      role: (m?.role as Role | undefined) ?? null,
    };
  }

  async createApiKey(actor: Actor, organizationId: string, input: { name: string; role: Role }) {
    // Keys are minted by people, never by other keys, and never with OWNER powers: a key must not
    // be able to outlive or out-rank the members who manage it.
    if (actor.kind !== 'user') {
      throw new AuthException(AuthErrorCode.PERMISSION_DENIED, 'API keys cannot create API keys');
    }
    if (input.role === Role.OWNER) {
      throw new AuthException(
        AuthErrorCode.PERMISSION_DENIED,
        'API keys can have at most the ADMIN role',
      );
    }
    if (!actor.role || !canAssign(actor.role, input.role)) {
      throw new AuthException(
        AuthErrorCode.PERMISSION_DENIED,
        `the ${actor.role ?? 'current'} role cannot create ${input.role} keys`,
      );
    }
    const name = input.name.trim();
    if (!name || name.length > 100)
      throw new AuthException(
        AuthErrorCode.INVALID_NAME,
        'the key name must be 1 to 100 characters',
      );
    const { token, hash: keyHash, display } = newToken(API_KEY_PREFIX);
    const key = await this.prisma.apiKey.create({
      data: {
        organizationId,
        name,
        prefix: display,
        keyHash,
        role: input.role,
        createdById: actor.userId,
      },
    });
    return { key, secret: token };
  }

  private async createSession(
    db: Pick<PrismaClient, 'session'>,
    userId: string,
    organizationId: string | null,
  ) {
    const { token, hash: tokenHash } = newToken(SESSION_PREFIX);
    const expiresAt = new Date(Date.now() + this.config.SESSION_TTL_HOURS * 3600_000);
    await db.session.create({
      data: { tokenHash, userId, activeOrganizationId: organizationId, expiresAt },
    });
    return { token, expiresAt };
  }
}

function invalidToken(): AuthException {
  return new AuthException(
    AuthErrorCode.NOT_AUTHENTICATED,
    'the token is invalid, expired or revoked',
  );
}

/** An argon2id hash of a random secret: verifying against it costs what a real check costs. */
const DUMMY_HASH = hash(randomBytes(24).toString('base64url'));

export { Permission };
