import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ImageRejection } from '../image-inspection.js';
import { DatasetImage } from './dataset-image.model.js';

registerEnumType(ImageRejection, {
  name: 'ImageUploadErrorCode',
  description: 'Why one uploaded file was refused (the other files of the batch are unaffected).',
});

@ObjectType()
export class HttpHeader {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  value!: string;
}

@ObjectType({ description: 'Where and how to PUT one file; then call confirmImageUploads.' })
export class PresignedImageUpload {
  @Field(() => String)
  fileName!: string;

  @Field(() => String, { description: 'The object key to pass to confirmImageUploads.' })
  key!: string;

  @Field(() => String)
  url!: string;

  @Field(() => String)
  method!: string;

  @Field(() => [HttpHeader], { description: 'Headers the PUT must carry.' })
  headers!: HttpHeader[];

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType()
export class ImageUploadError {
  @Field(() => ImageRejection)
  code!: ImageRejection;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'The outcome for one file of an upload batch.' })
export class ImageUploadResult {
  @Field(() => String, { nullable: true })
  fileName!: string | null;

  @Field(() => String, { nullable: true, description: 'The confirmed key (presigned uploads).' })
  key!: string | null;

  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => DatasetImage, { nullable: true })
  image!: DatasetImage | null;

  @Field(() => DatasetImage, {
    nullable: true,
    description: 'For DUPLICATE: the image with the same bytes already in the dataset.',
  })
  duplicateOf!: DatasetImage | null;

  @Field(() => ImageUploadError, { nullable: true })
  error!: ImageUploadError | null;
}
