import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum ModelVersionErrorCode {
  PRODUCT_MODEL_NOT_FOUND = 'PRODUCT_MODEL_NOT_FOUND',
  NOT_FOUND = 'MODEL_VERSION_NOT_FOUND',
  TRAINING_JOB_NOT_FOUND = 'TRAINING_JOB_NOT_FOUND',
  NOT_READY = 'MODEL_VERSION_NOT_READY',
}

const API_CODES: Record<ModelVersionErrorCode, ApiErrorCode> = {
  [ModelVersionErrorCode.PRODUCT_MODEL_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [ModelVersionErrorCode.NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [ModelVersionErrorCode.TRAINING_JOB_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [ModelVersionErrorCode.NOT_READY]: ApiErrorCode.CONFLICT,
};

export class ModelVersionException extends DomainError<ModelVersionErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
