import { ApiErrorCode, DomainError } from '../common/errors.js';

export enum EventsErrorCode {
  PRODUCT_MODEL_NOT_FOUND = 'EVENTS_PRODUCT_MODEL_NOT_FOUND',
}

const API_CODES: Record<EventsErrorCode, ApiErrorCode> = {
  [EventsErrorCode.PRODUCT_MODEL_NOT_FOUND]: ApiErrorCode.NOT_FOUND,
};

export class EventsException extends DomainError<EventsErrorCode> {
  get apiCode(): ApiErrorCode {
    return API_CODES[this.code];
  }
}
