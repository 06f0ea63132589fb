import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum WebhookErrorCode {
  NOT_FOUND = 'WEBHOOK_NOT_FOUND',
  INVALID_URL = 'WEBHOOK_INVALID_URL',
  INVALID_EVENTS = 'WEBHOOK_INVALID_EVENTS',
  INVALID_DESCRIPTION = 'WEBHOOK_INVALID_DESCRIPTION',
}

const API_CODES: Record<WebhookErrorCode, ApiErrorCode> = {
  [WebhookErrorCode.NOT_FOUND]: ApiErrorCode.NOT_FOUND,
  [WebhookErrorCode.INVALID_URL]: ApiErrorCode.BAD_USER_INPUT,
  [WebhookErrorCode.INVALID_EVENTS]: ApiErrorCode.BAD_USER_INPUT,
  [WebhookErrorCode.INVALID_DESCRIPTION]: ApiErrorCode.BAD_USER_INPUT,
};

export class WebhookException extends DomainError<WebhookErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
