import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { WebhooksResolver } from './webhooks.resolver.js';
import { WebhooksService } from './webhooks.service.js';

@Module({
  imports: [AuthModule],
  providers: [WebhooksService, WebhooksResolver],
})
export class WebhooksModule {}
