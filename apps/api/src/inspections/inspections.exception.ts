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
  NO_ACTIVE_VERSION = 'NO_ACTIVE_VERSION',
  MODEL_VERSION_NOT_READY = 'MODEL_VERSION_NOT_READY',
  TOO_MANY_FILES = 'TOO_MANY_FILES',
  INVALID_SOURCE = 'INVALID_SOURCE',
  INVALID_IMAGE = 'INVALID_IMAGE',
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
  [InspectionErrorCode.NO_ACTIVE_VERSION]: ApiErrorCode.CONFLICT,
  [InspectionErrorCode.MODEL_VERSION_NOT_READY]: ApiErrorCode.CONFLICT,
  [InspectionErrorCode.TOO_MANY_FILES]: ApiErrorCode.BAD_USER_INPUT,
  [InspectionErrorCode.INVALID_SOURCE]: ApiErrorCode.BAD_USER_INPUT,
  [InspectionErrorCode.INVALID_IMAGE]: ApiErrorCode.BAD_USER_INPUT,
};

export class InspectionException extends DomainError<InspectionErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
