import { Module } from '@nestjs/common';
import { ProductActivityResolver } from './product-activity.resolver.js';
import { AuthModule } from '../auth/auth.module.js';
import { ProductModelsResolver, ProjectProductModelsResolver } from './product-models.resolver.js';
import { ProductModelsService } from './product-models.service.js';

@Module({
  imports: [AuthModule],
  providers: [
    ProductModelsService,
    ProductModelsResolver,
    ProjectProductModelsResolver,
    ProductActivityResolver,
  ],
  exports: [ProductModelsService],
})
export class ProductModelsModule {}
