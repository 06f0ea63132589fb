/**
 * The one image-format sniffer of the platform: which format a file is, from its first bytes (never
 * from its name or declared type). The API's upload validator and the inference preprocessing both
 * decide through `sniffImageFormat`, so an upload is accepted iff the decoder can read its format.
 *
 * Signatures, from the format specifications:
 * - PNG: 89 50 4E 47 0D 0A 1A 0A (PNG, ISO/IEC 15948, Sec. 5.2).
 * - JPEG: FF D8 (SOI) followed by the FF of the next marker (ITU-T T.81, B.1.1.3).
 * - TIFF: "II" 2A 00 (little-endian) or "MM" 00 2A (big-endian), version 42 (TIFF 6.0, Sec. 2); and
 *   BigTIFF, version 43: "II" 2B 00 or "MM" 00 2B. BigTIFF is accepted: libtiff, inside sharp/libvips,
 *   decodes it like classic TIFF, so the decoder reads what the validator lets in.
 * - WebP: "RIFF", a 4-byte size, "WEBP" (RFC 9649, Sec. 2.5).
 * - BMP: "BM" and, at offset 14, the little-endian size of the DIB header: 12 (BITMAPCOREHEADER),
 *   16 or 64 (OS/2 2.x), 40 (BITMAPINFOHEADER), 52, 56 (v2, v3), 108 (v4) or 124 (v5). "BM" alone is
 *   two bytes of chance, so the header size is required too.
 */

/** Image formats the platform reads. */
export type ImageFormat = 'png' | 'jpeg' | 'bmp' | 'tiff' | 'webp';

/** Every ImageFormat, in the order they are listed to people. */
export const IMAGE_FORMATS: readonly ImageFormat[] = Object.freeze([
  'png',
  'jpeg',
  'bmp',
  'tiff',
  'webp',
]);

/** The IANA media type of each format (BigTIFF included in image/tiff). */
export const IMAGE_MIME_TYPES: Readonly<Record<ImageFormat, string>> = Object.freeze({
  png: 'image/png',
  jpeg: 'image/jpeg',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  webp: 'image/webp',
});

/** The usual file name extension of each format, without the dot. */
export const IMAGE_FILE_EXTENSIONS: Readonly<Record<ImageFormat, string>> = Object.freeze({
  png: 'png',
  jpeg: 'jpg',
  bmp: 'bmp',
  tiff: 'tiff',
  webp: 'webp',
});

/**
 * How many leading bytes the sniffers read, at most: the BMP test ends at offset 18 (the DIB header
 * size, bytes 14..17). Passing `bytes.subarray(0, IMAGE_SNIFF_BYTES)` gives the same answer as the
 * whole file; fewer bytes can only turn a format into null.
 */
export const IMAGE_SNIFF_BYTES = 18;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const JPEG_SOI_AND_MARKER = [0xff, 0xd8, 0xff] as const;
const TIFF_LITTLE_ENDIAN = [0x49, 0x49, 0x2a, 0x00] as const;
const TIFF_BIG_ENDIAN = [0x4d, 0x4d, 0x00, 0x2a] as const;
const BIGTIFF_LITTLE_ENDIAN = [0x49, 0x49, 0x2b, 0x00] as const;
const BIGTIFF_BIG_ENDIAN = [0x4d, 0x4d, 0x00, 0x2b] as const;
const RIFF = ascii('RIFF');
const WEBP_FOURCC = ascii('WEBP');
/** Offset of "WEBP" after "RIFF" and the 4-byte chunk size. */
const WEBP_FOURCC_OFFSET = 8;
const BMP_SIGNATURE = ascii('BM');
/** Offset of the DIB header size, after the 14-byte BITMAPFILEHEADER. */
const BMP_DIB_SIZE_OFFSET = 14;
/** DIB header sizes: CORE (12), OS/2 2.x (16, 64), INFO (40), v2 (52), v3 (56), v4 (108), v5 (124). */
const BMP_DIB_HEADER_SIZES: ReadonlySet<number> = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  for (let i = 0; i < signature.length; i++) {
    if (bytes[offset + i] !== signature[i]) return false;
  }
  return true;
}

function readUint32LE(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset] |
      (bytes[offset + 1] << 8) |
      (bytes[offset + 2] << 16) |
      (bytes[offset + 3] << 24)) >>>
    0
  );
}

/**
 * The format of an image from its first bytes (the whole file or at least its first
 * IMAGE_SNIFF_BYTES), or null when they are not PNG, JPEG, BMP, TIFF (BigTIFF included) or WebP.
 * A truncated header (fewer bytes than the format's signature) is null. Only the signature is
 * checked: a file that starts right but is damaged later is recognised here and refused by the
 * decoder.
 */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  if (startsWith(head, PNG_SIGNATURE)) return 'png';
  if (startsWith(head, JPEG_SOI_AND_MARKER)) return 'jpeg';
  if (
    startsWith(head, TIFF_LITTLE_ENDIAN) ||
    startsWith(head, TIFF_BIG_ENDIAN) ||
    startsWith(head, BIGTIFF_LITTLE_ENDIAN) ||
    startsWith(head, BIGTIFF_BIG_ENDIAN)
  ) {
    return 'tiff';
  }
  if (startsWith(head, RIFF) && startsWith(head, WEBP_FOURCC, WEBP_FOURCC_OFFSET)) return 'webp';
  if (
    startsWith(head, BMP_SIGNATURE) &&
    head.length >= BMP_DIB_SIZE_OFFSET + 4 &&
    BMP_DIB_HEADER_SIZES.has(readUint32LE(head, BMP_DIB_SIZE_OFFSET))
  ) {
    return 'bmp';
  }
  return null;
}

/** Signatures of formats that are recognised only to be named in an error message. */
const UNSUPPORTED_SIGNATURES: readonly {
  readonly name: string;
  readonly signature: readonly number[];
  readonly offset?: number;
}[] = [
  { name: 'GIF', signature: ascii('GIF87a') },
  { name: 'GIF', signature: ascii('GIF89a') },
  // ISO base media file format: a box size, then "ftyp".
  { name: 'HEIF/AVIF (ISO BMFF)', signature: ascii('ftyp'), offset: 4 },
  { name: 'JPEG 2000', signature: [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20] },
  { name: 'JPEG 2000 codestream', signature: [0xff, 0x4f, 0xff, 0x51] },
  { name: 'JPEG XL', signature: [0xff, 0x0a] },
  { name: 'JPEG XL', signature: [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58] },
  { name: 'Photoshop (PSD)', signature: ascii('8BPS') },
  { name: 'PDF', signature: ascii('%PDF') },
  { name: 'SVG/XML', signature: ascii('<?xml') },
  { name: 'SVG/XML', signature: ascii('<svg') },
  { name: 'BMP with an unknown header', signature: BMP_SIGNATURE },
];

/** Netpbm magic numbers P1..P7 ("P" and an ASCII digit 1..7). */
const NETPBM_P = 0x50;
const NETPBM_DIGITS = { first: 0x31, last: 0x37 } as const;

/**
 * A human name for a recognised but unsupported format (GIF, HEIF/AVIF, JPEG 2000, JPEG XL, PSD,
 * PDF, SVG/XML, Netpbm, a BMP with an unknown header), for error messages; null when the bytes are a
 * supported format (see sniffImageFormat) or nothing known. Reads at most IMAGE_SNIFF_BYTES.
 */
export function describeUnsupportedImage(head: Uint8Array): string | null {
  if (sniffImageFormat(head) !== null) return null;
  for (const { name, signature, offset } of UNSUPPORTED_SIGNATURES) {
    if (startsWith(head, signature, offset)) return name;
  }
  if (
    head.length >= 2 &&
    head[0] === NETPBM_P &&
    head[1] >= NETPBM_DIGITS.first &&
    head[1] <= NETPBM_DIGITS.last
  ) {
    return 'Netpbm (PNM)';
  }
  return null;
}
