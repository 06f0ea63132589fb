import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { InspectionsResolver } from './inspections.resolver.js';
import { InspectionsService } from './inspections.service.js';
import { ReviewsResolver } from './reviews.resolver.js';

@Module({
  imports: [AuthModule],
  providers: [InspectionsService, InspectionsResolver, ReviewsResolver],
})
export class InspectionsModule {}
