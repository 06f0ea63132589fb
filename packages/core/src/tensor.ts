import { PadimError, PadimErrorCode, assertInteger, assertLength } from './errors.js';

/**
 * A dense row-major float tensor. `shape` names the layout explicitly; the last axis is contiguous.
 * Feature maps are [B, C, H, W]; anomaly maps are [B, H, W]; per-position statistics are [P, d] and
 * [P, d, d] with P = H * W positions in row-major (y, x) order.
 */
export interface Tensor<S extends readonly number[] = readonly number[]> {
  readonly data: Float32Array;
  readonly shape: S;
}

export type Shape4 = readonly [number, number, number, number];
export type Shape3 = readonly [number, number, number];

/** [B, C, H, W]: a batch of CNN feature maps or patch embeddings. */
export type FeatureMaps = Tensor<Shape4>;
/** [B, H, W]: a batch of single-channel maps (distances, anomaly maps). */
export type Maps = Tensor<Shape3>;

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Validates a shape (positive integers) and that `data` has exactly as many elements. */
export function checkTensor(what: string, data: ArrayLike<number>, shape: readonly number[]): void {
  for (let i = 0; i < shape.length; i++) {
    assertInteger(`${what}: shape[${i}]`, shape[i] as number, 1);
  }
  assertLength(what, data.length, numel(shape));
}

/** Makes a tensor after validating it; the data is used as is (not copied). */
export function tensor<S extends readonly number[]>(data: Float32Array, shape: S): Tensor<S> {
  checkTensor('tensor', data, shape);
  return { data, shape };
}

export function expectRank(what: string, t: Tensor, rank: number): void {
  if (t.shape.length !== rank) {
    throw new PadimError(
      PadimErrorCode.SHAPE_MISMATCH,
      `${what}: expected rank ${rank}, got shape [${t.shape.join(', ')}]`,
    );
  }
  checkTensor(what, t.data, t.shape);
}
