import { Controller, Get, HttpStatus, Inject, Logger, Res } from '@nestjs/common';
import type { Response } from 'express';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness.js';

@Controller()
export class HealthController {
  private readonly logger = new Logger('Readiness');

  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  /** The process is up. */
  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every dependency (database, object store, queue) is reachable: 200, else 503 with details. */
  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    const results = await Promise.all(
      this.checks.map(async (c) => {
        try {
          await c.check();
          return { name: c.name, ok: true as const };
        } catch (error) {
          // Details (hosts, users) go to the log, not to this unauthenticated endpoint.
          const reason = error instanceof Error ? error.message : String(error);
          this.logger.warn(`readiness check ${c.name} failed: ${reason}`);
          return { name: c.name, ok: false as const, error: 'unavailable' };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    res
      .status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: ready ? 'ready' : 'unavailable', checks: results });
  }
}
