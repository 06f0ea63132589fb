import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '../../common/pagination/cursor.js';

@InputType({ description: 'All given conditions must hold.' })
export class AuditEventFilter {
  @Field(() => String, { nullable: true, description: 'e.g. ModelVersion, Inspection, Webhook.' })
  targetType?: string;

  @Field(() => ID, { nullable: true })
  targetId?: string;

  @Field(() => ID, { nullable: true })
  actorUserId?: string;

  @Field(() => String, { nullable: true, description: 'e.g. threshold.set.' })
  action?: string;
}

@ArgsType()
export class AuditEventsArgs extends PageArgs {
  @Field(() => AuditEventFilter, { nullable: true })
  filter?: AuditEventFilter;
}
