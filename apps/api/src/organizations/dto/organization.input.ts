import { Field, InputType } from '@nestjs/graphql';

@InputType()
export class CreateOrganizationInput {
  @Field(() => String)
  name!: string;
}

@InputType()
export class UpdateOrganizationInput {
  @Field(() => String, { nullable: true })
  name?: string;
}
