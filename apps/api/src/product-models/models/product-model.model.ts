import { Field, ID, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../projects/models/project.model.js';

@ObjectType({ description: 'One product seen from one camera pose: one PaDiM detector.' })
export class ProductModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  cameraPose!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class ProductModelEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => ProductModel)
  node!: ProductModel;
}

@ObjectType()
export class ProductModelConnection {
  @Field(() => [ProductModelEdge])
  edges!: ProductModelEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
