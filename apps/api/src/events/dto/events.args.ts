import { ArgsType, Field, ID } from '@nestjs/graphql';

@ArgsType()
export class ProductModelEventsArgs {
  @Field(() => ID, {
    nullable: true,
    description:
      "Only this product model's events; every product model of the organization when absent.",
  })
  productModelId?: string | null;
}

@ArgsType()
export class InspectionEventsArgs extends ProductModelEventsArgs {
  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Only flagged inspections: the stream of new defects to review.',
  })
  flaggedOnly!: boolean;
}
