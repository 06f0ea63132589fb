import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MembersResolver } from './members.resolver.js';
import { MembersService } from './members.service.js';

@Module({
  imports: [AuthModule],
  providers: [MembersService, MembersResolver],
})
export class MembersModule {}
