import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum ThresholdErrorCode {
  MODEL_VERSION_NOT_FOUND = 'MODEL_VERSION_NOT_FOUND',
  INVALID_VALUE = 'THRESHOLD_INVALID_VALUE',
  INVALID_REASON = 'THRESHOLD_INVALID_REASON',
}

const API_CODES: Record<ThresholdErrorCode, ApiErrorCode> = {
  [ThresholdErrorCode.MODEL_VERSION_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [ThresholdErrorCode.INVALID_VALUE]: ApiErrorCode.BAD_USER_INPUT,
  [ThresholdErrorCode.INVALID_REASON]: ApiErrorCode.BAD_USER_INPUT,
};

export class ThresholdException extends DomainError<ThresholdErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
