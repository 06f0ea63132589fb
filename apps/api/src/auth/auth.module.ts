import { Module } from '@nestjs/common';
import { ApiKeysService } from './api-keys.service.js';
import { AuthGuard } from './auth.guard.js';
import { AuthResolver } from './auth.resolver.js';
import { AuthService } from './auth.service.js';
import { ViewerService } from './viewer.service.js';

@Module({
  providers: [AuthService, AuthGuard, AuthResolver, ViewerService, ApiKeysService],
  exports: [AuthService, AuthGuard],
})
export class AuthModule {}
