import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditResolver } from './audit.resolver.js';

/** Reading the audit log (writing it is AuditService, global). */
@Module({
  imports: [AuthModule],
  providers: [AuditLogService, AuditResolver],
})
export class AuditLogModule {}
