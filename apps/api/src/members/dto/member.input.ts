import { Field, ID, InputType } from '@nestjs/graphql';
import { Role } from '../../auth/roles.js';

@InputType()
export class AddMemberInput {
  @Field(() => String, { description: 'Email of an existing user account.' })
  email!: string;

  @Field(() => Role, { description: 'At most the caller’s own role.' })
  role!: Role;
}

@InputType()
export class ChangeMemberRoleInput {
  @Field(() => ID)
  userId!: string;

  @Field(() => Role, { description: 'At most the caller’s own role.' })
  role!: Role;
}
