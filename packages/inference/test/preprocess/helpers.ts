/**
 * Test-only image encoders and helpers: BMP and 16-bit TIFF writers (sharp writes neither), a
 * hand-made PNG decompression bomb, seeded noise, and exact expectations for normalised values.
 */
import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { IMAGENET_MEAN, IMAGENET_STD } from '@padim/core';

export type Rgb = readonly [number, number, number];

/** mulberry32: a small seeded PRNG, [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Interleaved 8-bit pixels of one colour (channels = colour.length). */
export function solid(width: number, height: number, colour: readonly number[]): Uint8Array {
  const out = new Uint8Array(width * height * colour.length);
  for (let i = 0; i < width * height; i++) out.set(colour, i * colour.length);
  return out;
}

/** Seeded noise, interleaved 8-bit, smoothed a little so JPEG and resizes behave like photos. */
export function noise(width: number, height: number, channels: number, seed: number): Uint8Array {
  const rnd = prng(seed);
  const out = new Uint8Array(width * height * channels);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(rnd() * 256);
  return out;
}

/** Fills a rectangle of an interleaved RGB image. */
export function fillRect(
  rgb: Uint8Array,
  width: number,
  rect: { x: number; y: number; w: number; h: number },
  colour: Rgb,
): void {
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) rgb.set(colour, (y * width + x) * 3);
  }
}

/** Encodes interleaved raw pixels (8-bit Uint8Array or 16-bit Uint16Array) with sharp. */
export function raw(
  data: Uint8Array | Uint16Array,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
): Sharp {
  const img = sharp(data, { raw: { width, height, channels } });
  const sixteen = data instanceof Uint16Array;
  if (channels <= 2) return img.toColourspace(sixteen ? 'grey16' : 'b-w');
  return sixteen ? img.toColourspace('rgb16') : img;
}

export interface BmpWriteOptions {
  readonly bpp: 1 | 8 | 16 | 24 | 32;
  readonly topDown?: boolean;
  /** DIB header size: 40 (BITMAPINFOHEADER) or 124 (BITMAPV5HEADER). */
  readonly header?: 40 | 124;
}

/** Writes an uncompressed BMP from interleaved RGB (16 bpp is written as 5-6-5 bit fields). */
export function encodeBmp(
  rgb: Uint8Array,
  width: number,
  height: number,
  o: BmpWriteOptions,
): Uint8Array {
  const header = o.header ?? 40;
  const bitfields = o.bpp === 16 || (o.bpp === 32 && header === 124);
  const masks: readonly number[] =
    o.bpp === 16 ? [0xf800, 0x07e0, 0x001f, 0] : [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000];
  // Palette from the distinct colours (paletted depths only).
  const palette: number[] = [];
  const indexOf = new Map<number, number>();
  if (o.bpp <= 8) {
    for (let i = 0; i < width * height; i++) {
      const key = (rgb[i * 3]! << 16) | (rgb[i * 3 + 1]! << 8) | rgb[i * 3 + 2]!;
      if (!indexOf.has(key)) {
        indexOf.set(key, palette.length);
        palette.push(key);
      }
    }
    if (palette.length > 1 << o.bpp) throw new Error(`too many colours for ${o.bpp} bpp`);
  }
  const stride = Math.ceil((o.bpp * width) / 32) * 4;
  const maskBytes = bitfields && header === 40 ? 12 : 0;
  const dataOffset = 14 + header + maskBytes + palette.length * 4;
  const size = dataOffset + stride * height;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  v.setUint32(2, size, true);
  v.setUint32(10, dataOffset, true);
  v.setUint32(14, header, true);
  v.setInt32(18, width, true);
  v.setInt32(22, o.topDown ? -height : height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, o.bpp, true);
  v.setUint32(30, bitfields ? 3 : 0, true);
  v.setUint32(34, stride * height, true);
  v.setInt32(38, 2835, true);
  v.setInt32(42, 2835, true);
  v.setUint32(46, palette.length, true);
  if (bitfields) {
    for (let i = 0; i < (header === 124 ? 4 : 3); i++) v.setUint32(54 + 4 * i, masks[i]!, true);
  }
  if (header === 124) v.setUint32(70, 0x73524742, true); // 'sRGB'
  palette.forEach((c, i) => {
    const p = 14 + header + maskBytes + i * 4;
    out[p] = c & 0xff;
    out[p + 1] = (c >> 8) & 0xff;
    out[p + 2] = (c >> 16) & 0xff;
  });
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (o.topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      const [r, g, b] = [rgb[s]!, rgb[s + 1]!, rgb[s + 2]!];
      switch (o.bpp) {
        case 24:
          out.set([b, g, r], row + x * 3);
          break;
        case 32:
          out.set([b, g, r, 255], row + x * 4);
          break;
        case 16:
          v.setUint16(row + x * 2, ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3), true);
          break;
        case 8:
          out[row + x] = indexOf.get((r << 16) | (g << 8) | b)!;
          break;
        case 1:
          if (indexOf.get((r << 16) | (g << 8) | b)! === 1) out[row + (x >> 3)]! |= 0x80 >> (x & 7);
          break;
      }
    }
  }
  return out;
}

/**
 * Writes a baseline uncompressed little-endian TIFF: 8 or 16-bit integer or 32-bit float samples,
 * grey (1), grey+alpha (2), RGB (3), RGBA (4) or CMYK (4, `cmyk`), one strip.
 */
export function encodeTiff(
  samples: Uint8Array | Uint16Array | Float32Array,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  options: { cmyk?: boolean } = {},
): Uint8Array {
  const bits = samples instanceof Float32Array ? 32 : samples instanceof Uint16Array ? 16 : 8;
  const photometric = options.cmyk ? 5 : channels <= 2 ? 1 : 2;
  const alpha = !options.cmyk && (channels === 2 || channels === 4);
  const entries: [tag: number, type: 3 | 4, count: number, value: number][] = [];
  const dataBytes = samples.length * (bits / 8);
  const bitsOffset = 8 + 2 + 12 * 12 + 4;
  const dataOffset = bitsOffset + 2 * channels;
  entries.push([256, 4, 1, width], [257, 4, 1, height]);
  entries.push([
    258,
    3,
    channels,
    channels <= 2 ? bits | (channels === 2 ? bits << 16 : 0) : bitsOffset,
  ]);
  entries.push([259, 3, 1, 1], [262, 3, 1, photometric], [273, 4, 1, dataOffset]);
  entries.push([277, 3, 1, channels], [278, 4, 1, height], [279, 4, 1, dataBytes], [284, 3, 1, 1]);
  if (alpha) entries.push([338, 3, 1, 2]);
  if (bits === 32 && channels === 1) entries.push([339, 3, 1, 3]); // SampleFormat: IEEE float
  const out = new Uint8Array(dataOffset + dataBytes);
  const v = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, 8, true);
  v.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, count, value], i) => {
    const p = 10 + i * 12;
    v.setUint16(p, tag, true);
    v.setUint16(p + 2, type, true);
    v.setUint32(p + 4, count, true);
    if (type === 3 && count <= 2) {
      v.setUint16(p + 8, value & 0xffff, true);
      v.setUint16(p + 10, value >>> 16, true);
    } else v.setUint32(p + 8, value, true);
  });
  v.setUint32(10 + entries.length * 12, 0, true);
  for (let c = 0; c < channels; c++) v.setUint16(bitsOffset + 2 * c, bits, true);
  for (let i = 0; i < samples.length; i++) {
    if (bits === 8) out[dataOffset + i] = samples[i]!;
    else if (bits === 16) v.setUint16(dataOffset + 2 * i, samples[i]!, true);
    else v.setFloat32(dataOffset + 4 * i, samples[i]!, true);
  }
  return out;
}

/**
 * Writes a baseline uncompressed BigTIFF (TIFF version 43: 16-byte header, 8-byte offsets, 20-byte
 * IFD entries) of 8-bit grey (1) or RGB (3) samples, one strip, in either byte order.
 */
export function encodeBigTiff(
  samples: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3,
  options: { bigEndian?: boolean } = {},
): Uint8Array {
  const little = !options.bigEndian;
  const SHORT = 3;
  const LONG = 4;
  const LONG8 = 16;
  const entries: [tag: number, type: number, count: number, value: number][] = [
    [256, LONG, 1, width],
    [257, LONG, 1, height],
    [258, SHORT, channels, 8], // BitsPerSample: 8 per channel, up to four SHORTs inline
    [259, SHORT, 1, 1], // no compression
    [262, SHORT, 1, channels === 1 ? 1 : 2], // BlackIsZero or RGB
    [273, LONG8, 1, 0], // StripOffsets, filled in below
    [277, SHORT, 1, channels],
    [278, LONG, 1, height],
    [279, LONG8, 1, samples.length],
    [284, SHORT, 1, 1], // chunky
  ];
  const ifdOffset = 16;
  const dataOffset = ifdOffset + 8 + 20 * entries.length + 8;
  entries[5]![3] = dataOffset;
  const out = new Uint8Array(dataOffset + samples.length);
  const v = new DataView(out.buffer);
  out.set(little ? [0x49, 0x49] : [0x4d, 0x4d]);
  v.setUint16(2, 43, little);
  v.setUint16(4, 8, little); // bytesize of offsets
  v.setUint16(6, 0, little);
  v.setBigUint64(8, BigInt(ifdOffset), little);
  v.setBigUint64(ifdOffset, BigInt(entries.length), little);
  entries.forEach(([tag, type, count, value], i) => {
    const p = ifdOffset + 8 + i * 20;
    v.setUint16(p, tag, little);
    v.setUint16(p + 2, type, little);
    v.setBigUint64(p + 4, BigInt(count), little);
    // Values are left-justified in the 8-byte field.
    for (let k = 0; k < count; k++) {
      if (type === SHORT) v.setUint16(p + 12 + 2 * k, value, little);
      else if (type === LONG) v.setUint32(p + 12, value, little);
      else v.setBigUint64(p + 12, BigInt(value), little);
    }
  });
  v.setBigUint64(ifdOffset + 8 + 20 * entries.length, 0n, little); // no next IFD
  out.set(samples, dataOffset);
  return out;
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * A real decompression bomb: a valid 1-bit greyscale PNG of width x height, all black; a few tens
 * of KB on disk for 30000 x 30000 (900 megapixels, 2.7 GB once decoded to RGB).
 */
export function pngBomb(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, filter 0, no interlace
  const rowBytes = 1 + Math.ceil(width / 8); // filter byte + packed pixels
  const idat = deflateSync(new Uint8Array(rowBytes * height), { level: 9 });
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', new Uint8Array(0)),
  ];
  return Buffer.concat(parts);
}

/** ((v / 255) - mean) / std per channel, in float64. */
export function imagenet(rgb: Rgb): Rgb {
  return [0, 1, 2].map(
    (c) => (rgb[c]! / 255 - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!,
  ) as unknown as Rgb;
}

/** Largest |data - expected[c]| over the planes of a CHW tensor. */
export function maxErrorToSolid(data: Float32Array, size: number, expected: Rgb): number {
  const plane = size * size;
  let worst = 0;
  for (let c = 0; c < 3; c++) {
    for (let i = c * plane; i < (c + 1) * plane; i++)
      worst = Math.max(worst, Math.abs(data[i]! - expected[c]!));
  }
  return worst;
}

/** Bounding box of pixels of an interleaved RGB image for which `pick` holds. */
export function boundingBox(
  rgb: Uint8Array,
  width: number,
  height: number,
  pick: (r: number, g: number, b: number) => boolean,
): { x0: number; y0: number; x1: number; y1: number; count: number } | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      if (pick(rgb[p]!, rgb[p + 1]!, rgb[p + 2]!)) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
        count++;
      }
    }
  }
  return count === 0 ? undefined : { x0, y0, x1, y1, count };
}
