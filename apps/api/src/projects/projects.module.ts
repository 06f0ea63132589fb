import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ProjectsResolver } from './projects.resolver.js';
import { ProjectsService } from './projects.service.js';

@Module({
  imports: [AuthModule],
  providers: [ProjectsService, ProjectsResolver],
})
export class ProjectsModule {}
