import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role } from '../roles.js';

registerEnumType(Role, { name: 'Role', description: 'Membership role in an organization.' });

@ObjectType()
export class Organization {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  slug!: string;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType()
export class Membership {
  @Field(() => Organization)
  organization!: Organization;

  @Field(() => Role)
  role!: Role;
}

@ObjectType({ description: 'Who is calling.' })
export class Viewer {
  @Field(() => User, { nullable: true, description: 'null for an API key.' })
  user!: User | null;

  @Field(() => [Membership])
  memberships!: Membership[];

  @Field(() => Organization, { nullable: true, description: 'The organization operations act in.' })
  activeOrganization!: Organization | null;

  @Field(() => Role, { nullable: true })
  role!: Role | null;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: 'Bearer token for the Authorization header. Shown once.' })
  token!: string;

  @Field(() => User)
  user!: User;
}

@ObjectType()
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The first characters of the key, to tell keys apart.' })
  prefix!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field(() => String, { description: 'The key itself: shown once, only its hash is stored.' })
  secret!: string;
}
