import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum PipelineErrorCode {
  PRODUCT_MODEL_NOT_FOUND = 'PRODUCT_MODEL_NOT_FOUND',
  SNAPSHOT_NOT_FOUND = 'SNAPSHOT_NOT_FOUND',
  DATASET_NOT_FOUND = 'DATASET_NOT_FOUND',
  MODEL_VERSION_NOT_FOUND = 'MODEL_VERSION_NOT_FOUND',
  TRAINING_JOB_NOT_FOUND = 'TRAINING_JOB_NOT_FOUND',
  INVALID_TRAINING_OPTIONS = 'INVALID_TRAINING_OPTIONS',
  NOT_ENOUGH_IMAGES = 'NOT_ENOUGH_IMAGES',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  MODEL_VERSION_NOT_READY = 'MODEL_VERSION_NOT_READY',
  NOTHING_TO_FOLD = 'NOTHING_TO_FOLD',
  FOLD_IN_PROGRESS = 'FOLD_IN_PROGRESS',
  JOB_FINISHED = 'JOB_FINISHED',
}

const API_CODES: Record<PipelineErrorCode, ApiErrorCode> = {
  [PipelineErrorCode.PRODUCT_MODEL_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [PipelineErrorCode.SNAPSHOT_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [PipelineErrorCode.DATASET_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [PipelineErrorCode.MODEL_VERSION_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [PipelineErrorCode.TRAINING_JOB_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [PipelineErrorCode.INVALID_TRAINING_OPTIONS]: ApiErrorCode.BAD_USER_INPUT,
  [PipelineErrorCode.NOT_ENOUGH_IMAGES]: ApiErrorCode.BAD_USER_INPUT,
  [PipelineErrorCode.IDEMPOTENCY_KEY_REUSED]: ApiErrorCode.CONFLICT,
  [PipelineErrorCode.MODEL_VERSION_NOT_READY]: ApiErrorCode.CONFLICT,
  [PipelineErrorCode.NOTHING_TO_FOLD]: ApiErrorCode.CONFLICT,
  [PipelineErrorCode.FOLD_IN_PROGRESS]: ApiErrorCode.CONFLICT,
  [PipelineErrorCode.JOB_FINISHED]: ApiErrorCode.CONFLICT,
};

export class PipelineException extends DomainError<PipelineErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
