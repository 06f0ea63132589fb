import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum MemberErrorCode {
  NOT_FOUND = 'MEMBER_NOT_FOUND',
  USER_NOT_FOUND = 'MEMBER_USER_NOT_FOUND',
  ALREADY_MEMBER = 'MEMBER_ALREADY_MEMBER',
  INVALID_EMAIL = 'MEMBER_INVALID_EMAIL',
  ROLE_NOT_ASSIGNABLE = 'MEMBER_ROLE_NOT_ASSIGNABLE',
  LAST_OWNER = 'MEMBER_LAST_OWNER',
}

const API_CODES: Record<MemberErrorCode, ApiErrorCode> = {
  [MemberErrorCode.NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [MemberErrorCode.USER_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [MemberErrorCode.ALREADY_MEMBER]: ApiErrorCode.CONFLICT,
  [MemberErrorCode.INVALID_EMAIL]: ApiErrorCode.BAD_USER_INPUT,
  [MemberErrorCode.ROLE_NOT_ASSIGNABLE]: ApiErrorCode.FORBIDDEN,
  [MemberErrorCode.LAST_OWNER]: ApiErrorCode.CONFLICT,
};

export class MemberException extends DomainError<MemberErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
