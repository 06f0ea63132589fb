import { Module, type DynamicModule } from '@nestjs/common';
import type { JobQueue } from '@padim/queue';
import { AuthModule } from '../auth/auth.module.js';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { PipelineResolver } from './pipeline.resolver.js';
import { PipelineLifecycle } from './pipeline.lifecycle.js';
import { EMBEDDED_WORKER, JOB_QUEUE, type EmbeddedWorkerMode } from './pipeline.tokens.js';
import { TrainingService } from './training.service.js';

/**
 * Training requests (rows plus queue jobs), the job queue every feature enqueues on (opened by
 * createApp) and the embedded worker's lifecycle.
 */
@Module({})
export class PipelineModule {
  static forRoot(queue: JobQueue, worker: EmbeddedWorkerMode = 'auto'): DynamicModule {
    return {
      module: PipelineModule,
      global: true,
      imports: [AuthModule, DatasetsModule],
      providers: [
        { provide: JOB_QUEUE, useValue: queue },
        { provide: EMBEDDED_WORKER, useValue: worker },
        PipelineLifecycle,
        TrainingService,
        PipelineResolver,
      ],
      exports: [JOB_QUEUE],
    };
  }
}
