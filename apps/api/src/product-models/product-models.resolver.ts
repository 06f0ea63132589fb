import { UseGuards } from '@nestjs/common';
import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { CurrentActor, type Actor } from '../auth/actor.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { Project } from '../projects/models/project.model.js';
import { CreateProductModelInput, UpdateProductModelInput } from './dto/product-model.input.js';
import { ProductModelsArgs } from './dto/product-models.args.js';
import { ProductModel, ProductModelConnection } from './models/product-model.model.js';
import { ProductModelsService } from './product-models.service.js';

@UseGuards(AuthGuard)
@Resolver(() => ProductModel)
export class ProductModelsResolver {
  constructor(private readonly service: ProductModelsService) {}

  @Query(() => ProductModelConnection, {
    description:
      'Product models of the active organization (optionally of one project), newest first.',
  })
  productModels(
    @CurrentActor() actor: Actor,
    @Args() args: ProductModelsArgs,
  ): Promise<ProductModelConnection> {
    return this.service.list(actor, args);
  }

  @Query(() => ProductModel)
  productModel(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ProductModel> {
    return this.service.get(actor, id);
  }

  @Mutation(() => ProductModel, { description: 'ENGINEER+ (MANAGE_MODELS).' })
  createProductModel(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateProductModelInput,
  ): Promise<ProductModel> {
    return this.service.create(actor, input);
  }

  @Mutation(() => ProductModel, { description: 'ENGINEER+ (MANAGE_MODELS).' })
  updateProductModel(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateProductModelInput,
  ): Promise<ProductModel> {
    return this.service.update(actor, input);
  }

  @Mutation(() => ProductModel, {
    description:
      'Deletes a product model and everything it owns (datasets, versions, inspections). ENGINEER+ (MANAGE_MODELS).',
  })
  deleteProductModel(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ProductModel> {
    return this.service.delete(actor, id);
  }
}

/** Project.productModels, batched per request through a DataLoader (no N+1 over a project list). */
@Resolver(() => Project)
export class ProjectProductModelsResolver {
  constructor(private readonly service: ProductModelsService) {}

  @ResolveField(() => [ProductModel], {
    description: 'All product models of the project, by name and camera pose.',
  })
  productModels(
    @Parent() project: Project,
    @CurrentActor() actor: Actor,
    @Context('req') request: object,
  ): Promise<ProductModel[]> {
    return this.service.ofProject(actor, request, project.id);
  }
}
