import { Field, ID, InputType } from '@nestjs/graphql';

@InputType()
export class CreateProductModelInput {
  @Field(() => ID)
  projectId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Camera or pose the images come from (e.g. "top", "cam-2"); "default" if omitted.',
  })
  cameraPose?: string;

  @Field(() => String, { nullable: true })
  description?: string;
}

@InputType({ description: 'Omitted fields stay as they are; the project cannot be changed.' })
export class UpdateProductModelInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  cameraPose?: string;

  @Field(() => String, { nullable: true, description: 'An empty string clears it.' })
  description?: string;
}
