import { ArgsType, Field, ID } from '@nestjs/graphql';
import { PageArgs } from '../../common/pagination/cursor.js';

@ArgsType()
export class ProductModelsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only the product models of this project.' })
  projectId?: string;
}
