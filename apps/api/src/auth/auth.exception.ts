import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum AuthErrorCode {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  NOT_AUTHENTICATED = 'NOT_AUTHENTICATED',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  INVALID_EMAIL = 'INVALID_EMAIL',
  WEAK_PASSWORD = 'WEAK_PASSWORD',
  INVALID_NAME = 'INVALID_NAME',
  NO_ORGANIZATION = 'NO_ORGANIZATION',
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  NOT_FOUND = 'NOT_FOUND',
}

const API_CODES: Record<AuthErrorCode, ApiErrorCode> = {
  [AuthErrorCode.INVALID_CREDENTIALS]: ApiErrorCode.UNAUTHENTICATED,
  [AuthErrorCode.NOT_AUTHENTICATED]: ApiErrorCode.UNAUTHENTICATED,
  [AuthErrorCode.EMAIL_TAKEN]: ApiErrorCode.CONFLICT,
  [AuthErrorCode.INVALID_EMAIL]: ApiErrorCode.BAD_USER_INPUT,
  [AuthErrorCode.WEAK_PASSWORD]: ApiErrorCode.BAD_USER_INPUT,
  [AuthErrorCode.INVALID_NAME]: ApiErrorCode.BAD_USER_INPUT,
  [AuthErrorCode.NO_ORGANIZATION]: ApiErrorCode.FORBIDDEN,
  [AuthErrorCode.PERMISSION_DENIED]: ApiErrorCode.FORBIDDEN,
  [AuthErrorCode.NOT_FOUND]: ApiErrorCode.NOT_FOUND,
};

export class AuthException extends DomainError<AuthErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
