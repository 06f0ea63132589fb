import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { TenantDb } from '../database/tenant-db.js';
import type { Actor } from './actor.js';
import { AuthErrorCode, AuthException } from './auth.exception.js';
import { AuthService } from './auth.service.js';
import type { CreateApiKeyInput } from './dto/auth.input.js';
import type { ApiKey, CreatedApiKey } from './models/auth.model.js';
import { Permission, type Role } from './roles.js';

/** The API keys of the actor's active organization (MANAGE_API_KEYS). */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly tenants: TenantDb,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor): Promise<ApiKey[]> {
    const { db } = this.tenants.for(actor, Permission.MANAGE_API_KEYS);
    const keys = await db.apiKey.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    return keys.map((k) => ({ ...k, role: k.role as Role }));
  }

  async create(actor: Actor, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_API_KEYS);
    const { key, secret } = await this.auth.createApiKey(actor, organizationId, input);
    await this.audit.record(
      actor,
      {
        organizationId,
        action: 'api_key.create',
        targetType: 'ApiKey',
        targetId: key.id,
        data: { name: key.name, role: key.role, prefix: key.prefix },
      },
      db,
    );
    return { apiKey: { ...key, role: key.role as Role }, secret };
  }

  /** Idempotent: revoking a revoked key keeps its first revocation time (and audits once). */
  async revoke(actor: Actor, id: string): Promise<ApiKey> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_API_KEYS);
    const key = await db.$transaction(async (tx) => {
      const existing = await tx.apiKey.findFirst({ where: { id } });
      if (!existing) throw new AuthException(AuthErrorCode.NOT_FOUND, 'no such API key');
      if (existing.revokedAt) return existing;
      const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
      await this.audit.record(
        actor,
        {
          organizationId,
          action: 'api_key.revoke',
          targetType: 'ApiKey',
          targetId: revoked.id,
          data: { name: revoked.name, prefix: revoked.prefix },
        },
        tx,
      );
      return revoked;
    });
    return { ...key, role: key.role as Role };
  }
}
