import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ImageLabel } from '@padim/db';

@InputType()
export class CreateDatasetInput {
  @Field(() => ID)
  productModelId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string;
}

@InputType({ description: 'A file the client is about to upload through a presigned URL.' })
export class ImageUploadFileInput {
  @Field(() => String, { description: 'For display only; the content decides the type.' })
  fileName!: string;

  @Field(() => Int, { description: 'Size in bytes; over IMAGE_MAX_BYTES is refused up front.' })
  byteSize!: number;

  @Field(() => String, {
    description: 'image/png, image/jpeg, image/bmp, image/tiff or image/webp.',
  })
  contentType!: string;
}

@InputType()
export class RequestImageUploadsInput {
  @Field(() => ID)
  datasetId!: string;

  @Field(() => [ImageUploadFileInput])
  files!: ImageUploadFileInput[];
}

@InputType()
export class ConfirmImageUploadsInput {
  @Field(() => ID)
  datasetId!: string;

  @Field(() => [String], { description: 'Keys from requestImageUploads, after the PUTs.' })
  keys!: string[];

  @Field(() => ImageLabel, {
    nullable: true,
    description: 'Label of every image (default UNKNOWN).',
  })
  label?: ImageLabel;
}

@InputType()
export class CreateDatasetSnapshotInput {
  @Field(() => ID)
  datasetId!: string;

  @Field(() => String, { nullable: true, description: 'A note saying what the snapshot is for.' })
  name?: string;
}
