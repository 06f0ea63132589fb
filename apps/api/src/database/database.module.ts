import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Database, PrismaClient } from '@padim/db';

export const DATABASE = Symbol('DATABASE');
export const PRISMA = Symbol('PRISMA');

/** Provides the Prisma client opened at start-up (see main.ts) and closes it on shutdown. */
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
      ],
      exports: [DATABASE, PRISMA],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.dispose();
  }
}

export type { PrismaClient };
