import { ImageError, ImageErrorCode } from './errors.js';

/**
 * A small BMP decoder: the prebuilt libvips that sharp 0.35 ships has no BMP loader (BMP goes
 * through ImageMagick, which is not in the npm build), so BMP is decoded here and the pixels are fed
 * to sharp as raw RGB, after which they take exactly the same path as every other format.
 *
 * Reads: BITMAPCOREHEADER (12), BITMAPINFOHEADER (40) and its v2/v3/v4/v5 extensions (52, 56, 108,
 * 124); 1/4/8-bit paletted, 16-bit (5-5-5 or bit fields), 24-bit BGR, 32-bit BGRX or bit fields;
 * bottom-up (positive height) and top-down (negative height) rows. Not read (UNSUPPORTED_FORMAT):
 * RLE4/RLE8, embedded JPEG/PNG, OS/2 2.x headers. Alpha, when a 32-bit file has it, is dropped (not
 * composited), as everywhere in this package. Out-of-range palette indices read as black.
 */
export interface DecodedBmp {
  /** Interleaved RGB, row-major, top row first: width * height * 3 bytes. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Bits per pixel of the file (1, 4, 8, 16, 24, 32). */
  readonly bitsPerPixel: number;
  /** True when every palette entry is grey (a greyscale BMP). */
  readonly grey: boolean;
  /** True when the file declares an alpha channel (bit-field mask); alpha is dropped. */
  readonly hasAlpha: boolean;
}

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_JPEG = 4;
const BI_PNG = 5;
const BI_ALPHABITFIELDS = 6;

function corrupt(message: string): ImageError {
  return new ImageError(ImageErrorCode.CORRUPT_IMAGE, `BMP image is corrupt: ${message}`);
}

function unsupported(message: string): ImageError {
  return new ImageError(ImageErrorCode.UNSUPPORTED_FORMAT, `BMP variant not supported: ${message}`);
}

/** Maps a channel's bit-field mask to an 8-bit value table (handles masks of 1 to 32 bits). */
interface Field {
  readonly mask: number;
  readonly shift: number;
  readonly max: number;
}

function field(mask: number): Field | undefined {
  if (mask === 0) return undefined;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const bits = (mask >>> shift).toString(2);
  if (/0/.test(bits)) throw corrupt(`bit-field mask 0x${mask.toString(16)} is not contiguous`);
  return { mask, shift, max: 2 ** bits.length - 1 };
}

function fieldValue(f: Field | undefined, v: number): number {
  if (f === undefined) return 0;
  const raw = (v & f.mask) >>> f.shift;
  return f.max === 255 ? raw : Math.round((raw * 255) / f.max);
}

interface BmpLayout {
  readonly width: number;
  readonly height: number;
  readonly topDown: boolean;
  readonly bitsPerPixel: number;
  readonly dataOffset: number;
  readonly stride: number;
  /** Bit fields of R, G, B (16 and 32 bits per pixel). */
  readonly fields: readonly [Field | undefined, Field | undefined, Field | undefined] | undefined;
  /** RGB triples, padded with black to 2^bpp entries (1, 4, 8 bits per pixel). */
  readonly palette: Uint8Array | undefined;
  readonly grey: boolean;
  readonly hasAlpha: boolean;
}

/** What a BMP header says (size, depth, greyness, alpha), without decoding; or a typed error. */
export function probeBmp(bytes: Uint8Array): Omit<DecodedBmp, 'data'> {
  const { width, height, bitsPerPixel, grey, hasAlpha } = parseLayout(bytes);
  return { width, height, bitsPerPixel, grey, hasAlpha };
}

function parseLayout(bytes: Uint8Array): BmpLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 26) throw corrupt(`only ${bytes.length} bytes, shorter than a BMP header`);
  const dataOffset = view.getUint32(10, true);
  const dibSize = view.getUint32(14, true);
  if (dibSize === 16 || dibSize === 64) throw unsupported('OS/2 2.x header');
  if (bytes.length < 14 + dibSize) {
    throw corrupt(`file of ${bytes.length} bytes ends inside the ${dibSize}-byte header`);
  }
  let width: number;
  let rawHeight: number;
  let bpp: number;
  let compression = BI_RGB;
  let colorsUsed = 0;
  if (dibSize === 12) {
    width = view.getUint16(18, true);
    rawHeight = view.getUint16(20, true);
    bpp = view.getUint16(24, true);
  } else {
    width = view.getInt32(18, true);
    rawHeight = view.getInt32(22, true);
    bpp = view.getUint16(28, true);
    compression = view.getUint32(30, true);
    colorsUsed = view.getUint32(46, true);
  }
  if (width <= 0 || rawHeight === 0 || rawHeight === -2147483648) {
    throw corrupt(`invalid dimensions ${width} x ${rawHeight}`);
  }
  if (compression === BI_RLE8 || compression === BI_RLE4) {
    throw unsupported('RLE compression (only uncompressed BMP is read)');
  }
  if (compression === BI_JPEG || compression === BI_PNG) {
    throw unsupported('embedded JPEG/PNG data');
  }
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    throw unsupported(`compression type ${compression}`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw unsupported(`${bpp} bits per pixel`);
  if (compression !== BI_RGB && bpp !== 16 && bpp !== 32) {
    throw corrupt(`bit-field compression with ${bpp} bits per pixel`);
  }

  // Bit-field masks follow a 40-byte header; larger headers contain them.
  let afterHeader = 14 + dibSize;
  let fields: BmpLayout['fields'];
  let hasAlpha = false;
  if (bpp === 16 || bpp === 32) {
    let masks: [number, number, number, number];
    if (compression === BI_RGB) {
      masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0x00ff00, 0x0000ff, 0];
    } else {
      const count = compression === BI_ALPHABITFIELDS || dibSize >= 56 ? 4 : 3;
      if (bytes.length < 54 + 4 * count) throw corrupt('file ends inside the bit-field masks');
      masks = [
        view.getUint32(54, true),
        view.getUint32(58, true),
        view.getUint32(62, true),
        count === 4 ? view.getUint32(66, true) : 0,
      ];
      if (dibSize === 40) afterHeader += 4 * count;
    }
    fields = [field(masks[0]), field(masks[1]), field(masks[2])];
    hasAlpha = masks[3] !== 0;
  }

  // Palette: BGRX entries (BGR in the 12-byte core header).
  let palette: Uint8Array | undefined;
  let grey = false;
  if (bpp <= 8) {
    const entrySize = dibSize === 12 ? 3 : 4;
    const max = 1 << bpp;
    const count = colorsUsed === 0 ? max : Math.min(colorsUsed, max);
    if (afterHeader + count * entrySize > bytes.length)
      throw corrupt('file ends inside the palette');
    palette = new Uint8Array(max * 3);
    grey = true;
    for (let i = 0; i < count; i++) {
      const o = afterHeader + i * entrySize;
      const b = bytes[o]!;
      const g = bytes[o + 1]!;
      const r = bytes[o + 2]!;
      palette[i * 3] = r;
      palette[i * 3 + 1] = g;
      palette[i * 3 + 2] = b;
      if (r !== g || g !== b) grey = false;
    }
  }

  const height = Math.abs(rawHeight);
  const stride = Math.ceil((bpp * width) / 32) * 4;
  if (dataOffset < afterHeader || dataOffset > bytes.length) {
    throw corrupt(`pixel data offset ${dataOffset} is outside the file`);
  }
  return {
    width,
    height,
    topDown: rawHeight < 0,
    bitsPerPixel: bpp,
    dataOffset,
    stride,
    fields,
    palette,
    grey,
    hasAlpha,
  };
}

/**
 * Decodes an uncompressed BMP to interleaved RGB. `maxPixels` is checked against the header before
 * the pixels are allocated (IMAGE_TOO_LARGE).
 */
export function decodeBmp(bytes: Uint8Array, maxPixels: number): DecodedBmp {
  const layout = parseLayout(bytes);
  const { width, height, bitsPerPixel: bpp, stride, fields, palette } = layout;
  if (width * height > maxPixels) {
    throw new ImageError(
      ImageErrorCode.IMAGE_TOO_LARGE,
      `BMP image of ${width} x ${height} = ${width * height} pixels exceeds the limit of ${maxPixels} pixels (maxInputPixels)`,
    );
  }
  const needed = layout.dataOffset + stride * (height - 1) + Math.ceil((bpp * width) / 8);
  if (needed > bytes.length) {
    throw corrupt(
      `truncated: ${width} x ${height} at ${bpp} bits per pixel needs ${needed} bytes, got ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const srcRow = layout.dataOffset + (layout.topDown ? y : height - 1 - y) * stride;
    let o = y * width * 3;
    switch (bpp) {
      case 24:
        for (let x = 0, s = srcRow; x < width; x++, s += 3, o += 3) {
          out[o] = bytes[s + 2]!;
          out[o + 1] = bytes[s + 1]!;
          out[o + 2] = bytes[s]!;
        }
        break;
      case 32:
        for (let x = 0, s = srcRow; x < width; x++, s += 4, o += 3) {
          const v = view.getUint32(s, true);
          out[o] = fieldValue(fields![0], v);
          out[o + 1] = fieldValue(fields![1], v);
          out[o + 2] = fieldValue(fields![2], v);
        }
        break;
      case 16:
        for (let x = 0, s = srcRow; x < width; x++, s += 2, o += 3) {
          const v = view.getUint16(s, true);
          out[o] = fieldValue(fields![0], v);
          out[o + 1] = fieldValue(fields![1], v);
          out[o + 2] = fieldValue(fields![2], v);
        }
        break;
      default: {
        // 1, 4, 8 bits: palette indices, most significant bits first.
        const perByte = 8 / bpp;
        const indexMask = (1 << bpp) - 1;
        for (let x = 0; x < width; x++, o += 3) {
          const byte = bytes[srcRow + Math.floor(x / perByte)]!;
          const shift = 8 - bpp * ((x % perByte) + 1);
          const p = ((byte >>> shift) & indexMask) * 3;
          out[o] = palette![p]!;
          out[o + 1] = palette![p + 1]!;
          out[o + 2] = palette![p + 2]!;
        }
      }
    }
  }
  return {
    data: out,
    width,
    height,
    bitsPerPixel: bpp,
    grey: layout.grey,
    hasAlpha: layout.hasAlpha,
  };
}
