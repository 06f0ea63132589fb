import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum ProjectErrorCode {
  NOT_FOUND = 'PROJECT_NOT_FOUND',
  NAME_TAKEN = 'PROJECT_NAME_TAKEN',
  INVALID_NAME = 'PROJECT_INVALID_NAME',
}

const API_CODES: Record<ProjectErrorCode, ApiErrorCode> = {
  [ProjectErrorCode.NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [ProjectErrorCode.NAME_TAKEN]: ApiErrorCode.CONFLICT,
  [ProjectErrorCode.INVALID_NAME]: ApiErrorCode.BAD_USER_INPUT,
};

export class ProjectException extends DomainError<ProjectErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
