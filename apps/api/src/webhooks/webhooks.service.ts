import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient, Webhook as WebhookRow } from '@padim/db';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Permission } from '../auth/roles.js';
import { pageWindow, toConnection } from '../common/pagination/cursor.js';
import { TenantDb } from '../database/tenant-db.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { isPrivateHost } from '@padim/jobs';
import type { CreateWebhookInput, UpdateWebhookInput } from './dto/webhook.input.js';
import {
  WebhookEvent,
  type Webhook,
  type WebhookConnection,
  type WebhookDeliveryConnection,
  type WebhookWithSecret,
} from './models/webhook.model.js';
import { WebhookErrorCode, WebhookException } from './webhooks.exception.js';

const MAX_URL = 2048;
const MAX_DESCRIPTION = 500;
const KNOWN_EVENTS = new Set<string>(Object.values(WebhookEvent));

/**
 * 32 random bytes. Stored as is (not hashed): the delivery worker (issue 5) needs the key itself
 * to compute each HMAC-SHA256 signature. Only create and rotate ever return it.
 */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function checkUrl(raw: string, allowPrivate: boolean): string {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new WebhookException(WebhookErrorCode.INVALID_URL, 'the URL is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebhookException(WebhookErrorCode.INVALID_URL, 'the URL must be http or https');
  if (url.username || url.password)
    throw new WebhookException(
      WebhookErrorCode.INVALID_URL,
      'the URL must not carry credentials; verify the signature instead',
    );
  if (!url.hostname || url.href.length > MAX_URL)
    throw new WebhookException(
      WebhookErrorCode.INVALID_URL,
      `the URL needs a host and at most ${MAX_URL} characters`,
    );
  if (!allowPrivate && isPrivateHost(url.hostname))
    throw new WebhookException(
      WebhookErrorCode.INVALID_URL,
      'the URL points into a private network or this machine',
    );
  return url.href;
}

function checkEvents(events: readonly WebhookEvent[]): WebhookEvent[] {
  const unique = [...new Set(events)];
  if (unique.length === 0 || !unique.every((e) => KNOWN_EVENTS.has(e)))
    throw new WebhookException(
      WebhookErrorCode.INVALID_EVENTS,
      `subscribe to at least one of: ${[...KNOWN_EVENTS].join(', ')}`,
    );
  return unique;
}

function checkDescription(raw: string | undefined): string | null {
  const description = raw?.trim() || null;
  if (description && description.length > MAX_DESCRIPTION)
    throw new WebhookException(
      WebhookErrorCode.INVALID_DESCRIPTION,
      `the description is limited to ${MAX_DESCRIPTION} characters`,
    );
  return description;
}

/** The public view of a row: never the secret. */
function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events.filter((e): e is WebhookEvent => KNOWN_EVENTS.has(e)),
    active: row.active,
    description: row.description,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Webhook registrations and their delivery history. Delivering is the worker's (issue 5). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly tenants: TenantDb,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async find(db: Pick<PrismaClient, 'webhook'>, id: string): Promise<WebhookRow> {
    const row = await db.webhook.findFirst({ where: { id } });
    if (!row) throw new WebhookException(WebhookErrorCode.NOT_FOUND, 'no such webhook');
    return row;
  }

  async list(
    actor: Actor,
    first: number | undefined,
    after: string | undefined,
  ): Promise<WebhookConnection> {
    const { db } = this.tenants.for(actor, Permission.MANAGE_WEBHOOKS);
    const { where, orderBy, take, size } = pageWindow({ first, after });
    const rows = await db.webhook.findMany({
      where,
      orderBy,
      take,
    });
    return toConnection(rows, size, toWebhook);
  }

  async get(actor: Actor, id: string): Promise<Webhook> {
    const { db } = this.tenants.for(actor, Permission.MANAGE_WEBHOOKS);
    return toWebhook(await this.find(db, id));
  }

  async create(actor: Actor, input: CreateWebhookInput): Promise<WebhookWithSecret> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_WEBHOOKS);
    const url = checkUrl(input.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
    const events = checkEvents(input.events);
    const description = checkDescription(input.description);
    const secret = newSecret();
    return db.$transaction(async (tx) => {
      const row = await tx.webhook.create({
        data: { organizationId, url, events, description, secret },
      });
      await this.audit.record(
        actor,
        {
          organizationId,
          action: 'webhook.create',
          targetType: 'Webhook',
          targetId: row.id,
          data: { url, events },
        },
        tx,
      );
      return { webhook: toWebhook(row), secret };
    });
  }

  async update(actor: Actor, input: UpdateWebhookInput): Promise<Webhook> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_WEBHOOKS);
    const url =
      input.url != null
        ? checkUrl(input.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS)
        : undefined;
    const events = input.events != null ? checkEvents(input.events) : undefined;
    const description =
      input.description !== undefined ? checkDescription(input.description) : undefined;
    const active = input.active ?? undefined;
    return db.$transaction(async (tx) => {
      const before = await this.find(tx, input.id);
      const row = await tx.webhook.update({
        where: { id: before.id },
        data: {
          ...(url !== undefined ? { url } : {}),
          ...(events !== undefined ? { events } : {}),
          ...(description !== undefined ? { description } : {}),
          ...(active !== undefined ? { active } : {}),
        },
      });
      await this.audit.record(
        actor,
        {
          organizationId,
          action: 'webhook.update',
          targetType: 'Webhook',
          targetId: row.id,
          data: {
            before: { url: before.url, events: before.events, active: before.active },
            after: { url: row.url, events: row.events, active: row.active },
          },
        },
        tx,
      );
      return toWebhook(row);
    });
  }

  /** A new secret, returned this once; the old one stops signing at once. */
  async rotateSecret(actor: Actor, id: string): Promise<WebhookWithSecret> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_WEBHOOKS);
    const secret = newSecret();
    return db.$transaction(async (tx) => {
      await this.find(tx, id);
      const row = await tx.webhook.update({ where: { id }, data: { secret } });
      await this.audit.record(
        actor,
        { organizationId, action: 'webhook.rotate_secret', targetType: 'Webhook', targetId: id },
        tx,
      );
      return { webhook: toWebhook(row), secret };
    });
  }

  /** Deletes the webhook and, by cascade, its delivery history. */
  async delete(actor: Actor, id: string): Promise<Webhook> {
    const { organizationId, db } = this.tenants.for(actor, Permission.MANAGE_WEBHOOKS);
    return db.$transaction(async (tx) => {
      const row = await this.find(tx, id);
      await tx.webhook.delete({ where: { id } });
      await this.audit.record(
        actor,
        {
          organizationId,
          action: 'webhook.delete',
          targetType: 'Webhook',
          targetId: id,
          data: { url: row.url, events: row.events },
        },
        tx,
      );
      return toWebhook(row);
    });
  }

  async deliveries(
    actor: Actor,
    webhookId: string,
    first: number | undefined,
    after: string | undefined,
  ): Promise<WebhookDeliveryConnection> {
    const { db } = this.tenants.for(actor, Permission.MANAGE_WEBHOOKS);
    const { where, orderBy, take, size } = pageWindow({ first, after });
    await this.find(db, webhookId);
    const rows = await db.webhookDelivery.findMany({
      where: { ...where, webhookId },
      orderBy,
      take,
    });
    return toConnection(rows, size);
  }
}
