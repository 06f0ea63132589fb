import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum InspectionErrorCode {
  NOT_FOUND = 'INSPECTION_NOT_FOUND',
  PRODUCT_MODEL_NOT_FOUND = 'PRODUCT_MODEL_NOT_FOUND',
  MODEL_VERSION_NOT_FOUND = 'MODEL_VERSION_NOT_FOUND',
  INVALID_FILTER = 'INSPECTION_INVALID_FILTER',
  NOT_COMPLETED = 'INSPECTION_NOT_COMPLETED',
  INVALID_NOTE = 'REVIEW_INVALID_NOTE',
  REVIEW_ABSORBED = 'REVIEW_ABSORBED',
  REVIEW_RACE = 'REVIEW_RACE',
}

const API_CODES: Record<InspectionErrorCode, ApiErrorCode> = {
  [InspectionErrorCode.NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [InspectionErrorCode.PRODUCT_MODEL_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [InspectionErrorCode.MODEL_VERSION_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [InspectionErrorCode.INVALID_FILTER]: ApiErrorCode.BAD_USER_INPUT,
  [InspectionErrorCode.NOT_COMPLETED]: ApiErrorCode.CONFLICT,
  [InspectionErrorCode.INVALID_NOTE]: ApiErrorCode.BAD_USER_INPUT,
  [InspectionErrorCode.REVIEW_ABSORBED]: ApiErrorCode.CONFLICT,
  [InspectionErrorCode.REVIEW_RACE]: ApiErrorCode.CONFLICT,
};

export class InspectionException extends DomainError<InspectionErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
