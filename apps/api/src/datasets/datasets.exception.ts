import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum DatasetErrorCode {
  NOT_FOUND = 'DATASET_NOT_FOUND',
  PRODUCT_MODEL_NOT_FOUND = 'DATASET_PRODUCT_MODEL_NOT_FOUND',
  NAME_TAKEN = 'DATASET_NAME_TAKEN',
  INVALID_NAME = 'DATASET_INVALID_NAME',
  /** A model version was trained on one of its snapshots: that history must stay. */
  IN_USE = 'DATASET_IN_USE',
  EMPTY = 'DATASET_EMPTY',
  TOO_MANY_FILES = 'DATASET_UPLOAD_TOO_MANY_FILES',
  FILE_TOO_LARGE = 'DATASET_UPLOAD_FILE_TOO_LARGE',
  UNSUPPORTED_TYPE = 'DATASET_UPLOAD_UNSUPPORTED_TYPE',
  INVALID_FILE = 'DATASET_UPLOAD_INVALID_FILE',
}

const API_CODES: Record<DatasetErrorCode, ApiErrorCode> = {
  [DatasetErrorCode.NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [DatasetErrorCode.PRODUCT_MODEL_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [DatasetErrorCode.NAME_TAKEN]: ApiErrorCode.CONFLICT,
  [DatasetErrorCode.INVALID_NAME]: ApiErrorCode.BAD_USER_INPUT,
  [DatasetErrorCode.IN_USE]: ApiErrorCode.CONFLICT,
  [DatasetErrorCode.EMPTY]: ApiErrorCode.BAD_USER_INPUT,
  [DatasetErrorCode.TOO_MANY_FILES]: ApiErrorCode.BAD_USER_INPUT,
  [DatasetErrorCode.FILE_TOO_LARGE]: ApiErrorCode.PAYLOAD_TOO_LARGE,
  [DatasetErrorCode.UNSUPPORTED_TYPE]: ApiErrorCode.BAD_USER_INPUT,
  [DatasetErrorCode.INVALID_FILE]: ApiErrorCode.BAD_USER_INPUT,
};

export class DatasetException extends DomainError<DatasetErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
