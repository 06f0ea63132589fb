import { Field, ID, ObjectType } from '@nestjs/graphql';
import { User } from '../../auth/models/auth.model.js';
import { Role } from '../../auth/roles.js';
import { PageInfo } from '../../projects/models/project.model.js';

@ObjectType({ description: 'A user’s membership in the active organization.' })
export class Member {
  @Field(() => ID, { description: 'The membership id (operations take the user id).' })
  id!: string;

  @Field(() => User)
  user!: User;

  @Field(() => Role)
  role!: Role;

  @Field(() => Date, { description: 'When the user joined the organization.' })
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class MemberEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Member)
  node!: Member;
}

@ObjectType()
export class MemberConnection {
  @Field(() => [MemberEdge])
  edges!: MemberEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
