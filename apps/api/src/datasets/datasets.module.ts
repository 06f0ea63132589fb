import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DatasetImagesResolver } from './dataset-images.resolver.js';
import { DatasetImagesService } from './dataset-images.service.js';
import { DatasetsResolver } from './datasets.resolver.js';
import { DatasetsService } from './datasets.service.js';

@Module({
  imports: [AuthModule],
  providers: [DatasetsService, DatasetsResolver, DatasetImagesService, DatasetImagesResolver],
  exports: [DatasetsService],
})
export class DatasetsModule {}
