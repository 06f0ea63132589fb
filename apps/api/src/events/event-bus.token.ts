/** DI token of the process-wide EventBus (Redis pub/sub, or in-process in the embedded mode). */
export const EVENT_BUS = Symbol('EVENT_BUS');
