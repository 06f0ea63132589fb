import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ActorType, type Prisma } from '@padim/db';
import { PageInfo } from '../../projects/models/project.model.js';
import { JsonScalar } from './json.scalar.js';

registerEnumType(ActorType, { name: 'ActorType' });

@ObjectType({ description: 'Who changed what, when: append-only.' })
export class AuditEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => ActorType)
  actorType!: ActorType;

  @Field(() => ID, { nullable: true })
  actorUserId!: string | null;

  @Field(() => ID, { nullable: true })
  actorApiKeyId!: string | null;

  @Field(() => String, { nullable: true })
  actorLabel!: string | null;

  @Field(() => String, { description: 'e.g. threshold.set, model_version.promote.' })
  action!: string;

  @Field(() => String)
  targetType!: string;

  @Field(() => ID, { nullable: true })
  targetId!: string | null;

  @Field(() => JsonScalar, { nullable: true, description: 'Details: previous and new values.' })
  data!: Prisma.JsonValue | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class AuditEventEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuditEvent)
  node!: AuditEvent;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges!: AuditEventEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
