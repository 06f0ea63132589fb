/** The job queue (BullMQ on Redis, or the in-process queue of the embedded mode). */
export const JOB_QUEUE = Symbol('JOB_QUEUE');

/** 'auto' follows WORKER_EMBEDDED; tests force 'off' (a separate worker) or 'on'. */
export type EmbeddedWorkerMode = 'auto' | 'on' | 'off';
export const EMBEDDED_WORKER = Symbol('EMBEDDED_WORKER');
