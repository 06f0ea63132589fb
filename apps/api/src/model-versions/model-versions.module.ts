import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ModelVersionsResolver } from './model-versions.resolver.js';
import { ModelVersionsService } from './model-versions.service.js';
import { TrainingJobsResolver } from './training-jobs.resolver.js';

@Module({
  imports: [AuthModule],
  providers: [ModelVersionsService, ModelVersionsResolver, TrainingJobsResolver],
})
export class ModelVersionsModule {}
