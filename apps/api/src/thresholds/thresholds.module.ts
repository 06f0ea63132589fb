import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ThresholdsResolver } from './thresholds.resolver.js';
import { ThresholdsService } from './thresholds.service.js';

@Module({
  imports: [AuthModule],
  providers: [ThresholdsService, ThresholdsResolver],
})
export class ThresholdsModule {}
