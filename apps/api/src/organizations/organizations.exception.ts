import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum OrganizationErrorCode {
  NOT_FOUND = 'ORGANIZATION_NOT_FOUND',
  INVALID_NAME = 'ORGANIZATION_INVALID_NAME',
  USER_REQUIRED = 'ORGANIZATION_USER_REQUIRED',
}

const API_CODES: Record<OrganizationErrorCode, ApiErrorCode> = {
  [OrganizationErrorCode.NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [OrganizationErrorCode.INVALID_NAME]: ApiErrorCode.BAD_USER_INPUT,
  [OrganizationErrorCode.USER_REQUIRED]: ApiErrorCode.FORBIDDEN,
};

export class OrganizationException extends DomainError<OrganizationErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
