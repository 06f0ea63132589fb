/**
 * Image preprocessing of the inference runtime: one path for training, inference and previews.
 *
 * bytes -> sniff the format from magic bytes (PNG, JPEG, BMP, TIFF, WebP)
 *       -> stage 1, decode to full-resolution 8-bit RGB (decodeImage): EXIF orientation applied;
 *          grey replicated; alpha dropped, not composited (PIL's convert('RGB')); CMYK through
 *          libvips' CMYK profile; embedded ICC profiles ignored (stored values, as PIL);
 *          16-bit -> floor(v / 256); BMP by our own decoder (sharp 0.35's libvips has none);
 *          truncated/undecodable data fails (libvips failOn 'error'); pixel limit checked first
 *       -> stage 2, resize R x R ignoring the aspect ratio (libvips cubic, from raw pixels: no
 *          JPEG shrink-on-load, no alpha premultiplication, format-independent)
 *       -> mvtec: center-crop S x S (torchvision offsets); stc: S = R
 *       -> normalise to CHW float32 (preprocessImage / preprocessBatch), or keep the 8-bit S x S
 *          crop for overlays (preprocessedRgb). Masks: same geometry, nearest neighbour.
 */
export * from './errors.js';
export * from './format.js';
export { DEFAULT_MAX_INPUT_PIXELS, decodeImage, probeImage } from './decode.js';
export type { DecodeOptions, DecodedImage, ImageColorSpace, ImageInfo } from './decode.js';
export * from './options.js';
export * from './preprocess.js';
export * from './mask.js';
