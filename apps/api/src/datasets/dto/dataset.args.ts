import { ArgsType, Field, ID } from '@nestjs/graphql';
import { ImageLabel } from '@padim/db';
import { PageArgs } from '../../common/pagination/cursor.js';

@ArgsType()
export class DatasetsArgs extends PageArgs {
  @Field(() => ID)
  productModelId!: string;
}

@ArgsType()
export class DatasetImagesArgs extends PageArgs {
  @Field(() => ID)
  datasetId!: string;

  @Field(() => ImageLabel, { nullable: true })
  label?: ImageLabel;
}

@ArgsType()
export class DatasetSnapshotsArgs extends PageArgs {
  @Field(() => ID)
  datasetId!: string;
}
