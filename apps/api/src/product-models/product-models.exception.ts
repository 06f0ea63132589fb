import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum ProductModelErrorCode {
  NOT_FOUND = 'PRODUCT_MODEL_NOT_FOUND',
  PROJECT_NOT_FOUND = 'PRODUCT_MODEL_PROJECT_NOT_FOUND',
  NAME_TAKEN = 'PRODUCT_MODEL_NAME_TAKEN',
  INVALID_NAME = 'PRODUCT_MODEL_INVALID_NAME',
  INVALID_CAMERA_POSE = 'PRODUCT_MODEL_INVALID_CAMERA_POSE',
  INVALID_DESCRIPTION = 'PRODUCT_MODEL_INVALID_DESCRIPTION',
  IN_USE = 'PRODUCT_MODEL_IN_USE',
}

const API_CODES: Record<ProductModelErrorCode, ApiErrorCode> = {
  [ProductModelErrorCode.NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [ProductModelErrorCode.PROJECT_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [ProductModelErrorCode.NAME_TAKEN]: ApiErrorCode.CONFLICT,
  [ProductModelErrorCode.INVALID_NAME]: ApiErrorCode.BAD_USER_INPUT,
  [ProductModelErrorCode.INVALID_CAMERA_POSE]: ApiErrorCode.BAD_USER_INPUT,
  [ProductModelErrorCode.INVALID_DESCRIPTION]: ApiErrorCode.BAD_USER_INPUT,
  [ProductModelErrorCode.IN_USE]: ApiErrorCode.CONFLICT,
};

export class ProductModelException extends DomainError<ProductModelErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
