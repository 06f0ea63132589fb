import { UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { pagedComplexity } from '../common/complexity.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditEventsArgs } from './dto/audit-events.args.js';
import { AuditEvent, AuditEventConnection } from './models/audit-event.model.js';

@UseGuards(AuthGuard)
@Resolver(() => AuditEvent)
export class AuditResolver {
  constructor(private readonly service: AuditLogService) {}

  @Query(() => AuditEventConnection, {
    description: 'The audit log of the active organization, newest first (ADMIN and OWNER).',
    complexity: pagedComplexity,
  })
  auditEvents(
    @CurrentActor() actor: Actor,
    @Args() args: AuditEventsArgs,
  ): Promise<AuditEventConnection> {
    return this.service.list(actor, args.filter, args.first, args.after);
  }
}
