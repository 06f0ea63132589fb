import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Database, PrismaClient } from '@padim/db';
import { TenantDb } from './tenant-db.js';

export const DATABASE = Symbol('DATABASE');
export const PRISMA = Symbol('PRISMA');

/**
 * Provides the Prisma client opened at start-up (see main.ts) and closes it on shutdown. Services
 * get TenantDb; the raw client (PRISMA) is only for code that runs before any tenant exists (sign-in,
 * sessions, creating an organization, the embedded worker): eslint.config.mjs holds the allow-list.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  static forRoot(db: Database): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE, useValue: db },
        { provide: PRISMA, useValue: db.prisma },
        { provide: TenantDb, useValue: new TenantDb(db.prisma) },
      ],
      exports: [DATABASE, PRISMA, TenantDb],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.dispose();
  }
}

export type { PrismaClient };
