import { ImageError, ImageErrorCode } from './errors.js';

/** Image formats the preprocessing reads. */
export type ImageFormat = 'png' | 'jpeg' | 'bmp' | 'tiff' | 'webp';

export const SUPPORTED_IMAGE_FORMATS: readonly ImageFormat[] = [
  'png',
  'jpeg',
  'bmp',
  'tiff',
  'webp',
];

/** BMP DIB header sizes: CORE (12), OS/2 v2 (16, 64), INFO (40), v2/v3 (52, 56), v4 (108), v5 (124). */
const BMP_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  for (let i = 0; i < signature.length; i++) {
    if (bytes[offset + i] !== signature[i]) return false;
  }
  return true;
}

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

/**
 * Recognises the format from the magic bytes (never from a file name). Returns undefined when the
 * bytes are not one of the supported formats; see `describeUnsupported` for a human name.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  // Classic TIFF (42) and BigTIFF (43), little- and big-endian.
  if (
    startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])
  ) {
    return 'tiff';
  }
  // 'BM' alone is two bytes of chance: also require a known DIB header size at offset 14.
  if (startsWith(bytes, ascii('BM')) && bytes.length >= 18) {
    const dibSize =
      (bytes[14]! | (bytes[15]! << 8) | (bytes[16]! << 16) | (bytes[17]! << 24)) >>> 0;
    if (BMP_HEADER_SIZES.has(dibSize)) return 'bmp';
  }
  return undefined;
}

/** Names a recognised but unsupported format (for the error message), or undefined. */
function describeUnsupported(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'GIF';
  if (startsWith(bytes, ascii('ftyp'), 4)) return 'HEIF/AVIF (ISO BMFF)';
  if (startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return 'JPEG 2000';
  if (startsWith(bytes, [0xff, 0x4f, 0xff, 0x51])) return 'JPEG 2000 codestream';
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58])) {
    return 'JPEG XL';
  }
  if (startsWith(bytes, ascii('8BPS'))) return 'Photoshop (PSD)';
  if (startsWith(bytes, ascii('%PDF'))) return 'PDF';
  if (startsWith(bytes, ascii('<?xml')) || startsWith(bytes, ascii('<svg'))) return 'SVG/XML';
  if (startsWith(bytes, ascii('BM'))) return 'BMP with an unknown header';
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1]! >= 0x31 && bytes[1]! <= 0x37) {
    return 'Netpbm (PNM)';
  }
  return undefined;
}

/**
 * The format of `bytes`, or a typed error: EMPTY_INPUT for zero bytes, UNSUPPORTED_FORMAT for
 * anything that is not PNG, JPEG, BMP, TIFF or WebP by its magic bytes.
 */
export function requireImageFormat(bytes: Uint8Array): ImageFormat {
  if (bytes.length === 0) {
    throw new ImageError(ImageErrorCode.EMPTY_INPUT, 'Image input is empty (0 bytes)');
  }
  const format = sniffImageFormat(bytes);
  if (format !== undefined) return format;
  const known = describeUnsupported(bytes);
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new ImageError(
    ImageErrorCode.UNSUPPORTED_FORMAT,
    `${known === undefined ? 'Unrecognised image format' : `${known} images are not supported`} ` +
      `(${bytes.length} bytes, starting ${head}); supported: PNG, JPEG, BMP, TIFF, WebP`,
  );
}
