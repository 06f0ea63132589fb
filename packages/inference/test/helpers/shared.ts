import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/inference/test/helpers/shared.ts). */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The shared folder of large reference files, which lies beside the repository (not in it). Tests
 * that need one of its files skip when it is absent.
 */
export const SHARED_DIR = join(repoRoot, '..', 'shared');

/** The ImageNet MobileNetV2 (int8) with its three tap tensors as graph outputs. */
export const SHARED_MOBILENET = join(SHARED_DIR, 'models', 'mobilenetv2-12-int8-taps.onnx');
