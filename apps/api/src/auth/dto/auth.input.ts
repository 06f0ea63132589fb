import { Field, ID, InputType } from '@nestjs/graphql';
import { Role } from '../roles.js';

@InputType()
export class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Name of the organization created with the account.' })
  organizationName!: string;
}

@InputType()
export class SignInInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String)
  name!: string;

  @Field(() => Role, { description: 'At most the creator’s own role.' })
  role!: Role;
}

@InputType()
export class SwitchOrganizationInput {
  @Field(() => ID)
  organizationId!: string;
}
