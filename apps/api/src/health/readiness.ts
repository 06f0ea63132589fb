/** A dependency the API needs before it can serve: checked by GET /readyz. */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when reachable; rejects with a short reason otherwise. */
  check(): Promise<void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
