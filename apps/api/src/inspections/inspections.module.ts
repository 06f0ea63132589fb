import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DatasetsModule } from '../datasets/datasets.module.js';
import { InspectResolver, InspectionUrlsResolver } from './inspect.resolver.js';
import { InspectService } from './inspect.service.js';
import { InspectionsResolver } from './inspections.resolver.js';
import { InspectionsService } from './inspections.service.js';
import { ReviewsResolver } from './reviews.resolver.js';

@Module({
  imports: [AuthModule, DatasetsModule],
  providers: [
    InspectionsService,
    InspectionsResolver,
    ReviewsResolver,
    InspectService,
    InspectResolver,
    InspectionUrlsResolver,
  ],
})
export class InspectionsModule {}
