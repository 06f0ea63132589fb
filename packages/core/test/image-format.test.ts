import { describe, expect, it } from 'vitest';
import {
  IMAGE_FILE_EXTENSIONS,
  IMAGE_FORMATS,
  IMAGE_MIME_TYPES,
  IMAGE_SNIFF_BYTES,
  describeUnsupportedImage,
  sniffImageFormat,
  type ImageFormat,
} from '../src/image-format.js';

/** Bytes from numbers and ASCII strings, e.g. bytes('RIFF', 0x24, 0, 0, 0, 'WEBP'). */
function bytes(...parts: (number | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else for (const c of p) out.push(c.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

/** A 32-bit little-endian integer as 4 bytes. */
function u32le(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/**
 * A BITMAPFILEHEADER ("BM", file size, 2 reserved words, pixel offset) followed by the first four
 * bytes of a DIB header: its size.
 */
function bmpHead(dibSize: number): Uint8Array {
  return bytes('BM', ...u32le(70), 0, 0, 0, 0, ...u32le(14 + dibSize), ...u32le(dibSize));
}

/** Hand-written headers from the format specifications, each padded with a few payload bytes. */
const HEADERS: readonly { name: string; head: Uint8Array; format: ImageFormat }[] = [
  // PNG signature and the start of the IHDR chunk (length 13, "IHDR").
  {
    name: 'PNG',
    head: bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'IHDR'),
    format: 'png',
  },
  // JPEG: SOI (FF D8), then an APP0 JFIF marker (FF E0) ...
  { name: 'JPEG (JFIF)', head: bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 'JFIF', 0), format: 'jpeg' },
  // ... or an APP1 Exif marker (FF E1), or straight to a DQT (FF DB).
  {
    name: 'JPEG (Exif)',
    head: bytes(0xff, 0xd8, 0xff, 0xe1, 0x12, 0x34, 'Exif', 0, 0),
    format: 'jpeg',
  },
  { name: 'JPEG (raw DQT)', head: bytes(0xff, 0xd8, 0xff, 0xdb, 0, 0x43, 0), format: 'jpeg' },
  // Classic TIFF: byte order, 42, offset of the first IFD (8).
  { name: 'TIFF little-endian', head: bytes('II', 42, 0, ...u32le(8)), format: 'tiff' },
  { name: 'TIFF big-endian', head: bytes('MM', 0, 42, 0, 0, 0, 8), format: 'tiff' },
  // BigTIFF: byte order, 43, offset byte size 8, zero, 8-byte offset of the first IFD (16).
  {
    name: 'BigTIFF little-endian',
    head: bytes('II', 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0),
    format: 'tiff',
  },
  {
    name: 'BigTIFF big-endian',
    head: bytes('MM', 0, 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16),
    format: 'tiff',
  },
  // WebP: RIFF, chunk size, WEBP, then the VP8 / VP8L / VP8X chunk.
  { name: 'WebP lossy', head: bytes('RIFF', ...u32le(36), 'WEBPVP8 '), format: 'webp' },
  { name: 'WebP lossless', head: bytes('RIFF', ...u32le(36), 'WEBPVP8L'), format: 'webp' },
  { name: 'WebP extended', head: bytes('RIFF', ...u32le(36), 'WEBPVP8X'), format: 'webp' },
  // BMP with every DIB header size of the specification.
  ...[12, 16, 40, 52, 56, 64, 108, 124].map((size) => ({
    name: `BMP, ${size}-byte DIB header`,
    head: bmpHead(size),
    format: 'bmp' as const,
  })),
];

describe('sniffImageFormat (hand-written magic bytes)', () => {
  for (const { name, head, format } of HEADERS) {
    it(`recognises ${name}`, () => {
      expect(sniffImageFormat(head)).toBe(format);
      // More bytes after the header change nothing.
      const longer = new Uint8Array(head.length + 100);
      longer.set(head);
      expect(sniffImageFormat(longer)).toBe(format);
      // Nor does reading only the first IMAGE_SNIFF_BYTES.
      expect(sniffImageFormat(longer.subarray(0, IMAGE_SNIFF_BYTES))).toBe(format);
      expect(describeUnsupportedImage(head)).toBeNull();
    });
  }

  it('reads a header that does not start at offset 0 of its buffer (subarray views)', () => {
    const buffer = new Uint8Array(64).fill(0xaa);
    buffer.set(bmpHead(40), 7);
    expect(sniffImageFormat(buffer.subarray(7, 7 + 18))).toBe('bmp');
    buffer.set(bytes('MM', 0, 43, 0, 8, 0, 0), 30);
    expect(sniffImageFormat(buffer.subarray(30))).toBe('tiff');
  });

  it('is null for headers truncated before the end of their signature', () => {
    const truncated: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['PNG, 7 of 8 signature bytes', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a)],
      ['JPEG, SOI without the next marker', bytes(0xff, 0xd8)],
      ['TIFF, 3 bytes', bytes('II', 42)],
      ['BigTIFF, 3 bytes', bytes('MM', 0)],
      ['WebP, RIFF and size only', bytes('RIFF', ...u32le(36))],
      ['WebP, "WEB" without "P"', bytes('RIFF', ...u32le(36), 'WEB')],
      ['BMP, 17 bytes (DIB size cut)', bmpHead(40).subarray(0, 17)],
      ['BMP, file header only', bmpHead(40).subarray(0, 14)],
      ['one byte', bytes(0xff)],
    ];
    for (const [name, head] of truncated) expect(sniffImageFormat(head), name).toBeNull();
  });

  it('is null for near misses of the signatures', () => {
    const misses: [string, Uint8Array][] = [
      ['PNG with a wrong line-ending byte', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0d)],
      ['TIFF with a mixed byte order', bytes('IM', 42, 0, 8, 0, 0, 0)],
      ['TIFF version 42 in the wrong byte order (II 00 2A)', bytes('II', 0, 42, 8, 0, 0, 0)],
      ['TIFF version 44', bytes('II', 44, 0, 8, 0, 0, 0)],
      ['BigTIFF version in the wrong byte order (MM 2B 00)', bytes('MM', 43, 0, 0, 8, 0, 0)],
      ['RIFF WAVE audio', bytes('RIFF', ...u32le(36), 'WAVEfmt ')],
      ['WEBP at offset 0', bytes('WEBPRIFF', 0, 0, 0, 0)],
      ['BMP with an unknown DIB size (41)', bmpHead(41)],
      ['BMP with DIB size 0', bmpHead(0)],
    ];
    for (const [name, head] of misses) expect(sniffImageFormat(head), name).toBeNull();
  });

  it('is null for non-images', () => {
    const nonImages: [string, Uint8Array][] = [
      ['text named .png', bytes('hello, this is not an image\n')],
      ['HTML', bytes('<script>alert(1)</script>')],
      ['JSON', bytes('{"image": "png"}')],
      ['ZIP', bytes('PK', 3, 4, 20, 0, 0, 0, 8, 0)],
      ['gzip', bytes(0x1f, 0x8b, 8, 0, 0, 0, 0, 0)],
      ['ELF', bytes(0x7f, 'ELF', 2, 1, 1, 0)],
      ['all zeros', new Uint8Array(64)],
      ['all 0xFF', new Uint8Array(64).fill(0xff)],
    ];
    for (const [name, head] of nonImages) {
      expect(sniffImageFormat(head), name).toBeNull();
      expect(describeUnsupportedImage(head), name).toBeNull();
    }
  });

  it('does not modify its input', () => {
    const head = bmpHead(40);
    const copy = Array.from(head);
    sniffImageFormat(head);
    describeUnsupportedImage(head);
    expect(Array.from(head)).toEqual(copy);
  });
});

describe('describeUnsupportedImage (names recognised unsupported formats)', () => {
  it('names each by its signature', () => {
    const cases: [Uint8Array, string][] = [
      [bytes('GIF87a', 1, 0, 1, 0), 'GIF'],
      [bytes('GIF89a', 1, 0, 1, 0), 'GIF'],
      [bytes(0, 0, 0, 0x1c, 'ftypavif'), 'HEIF/AVIF (ISO BMFF)'],
      [bytes(0, 0, 0, 0x18, 'ftypheic'), 'HEIF/AVIF (ISO BMFF)'],
      // JP2 signature box: length 12, "jP  ", CR LF 0x87 LF.
      [bytes(0, 0, 0, 12, 'jP  ', 0x0d, 0x0a, 0x87, 0x0a), 'JPEG 2000'],
      // J2K codestream: SOC (FF 4F) then SIZ (FF 51).
      [bytes(0xff, 0x4f, 0xff, 0x51, 0, 0x2f), 'JPEG 2000 codestream'],
      // JPEG XL: bare codestream FF 0A, or the container's signature box "JXL ".
      [bytes(0xff, 0x0a, 0xfa, 0x7f), 'JPEG XL'],
      [bytes(0, 0, 0, 12, 'JXL ', 0x0d, 0x0a, 0x87, 0x0a), 'JPEG XL'],
      [bytes('8BPS', 0, 1), 'Photoshop (PSD)'],
      [bytes('%PDF-1.7'), 'PDF'],
      [bytes('<?xml version="1.0"?>'), 'SVG/XML'],
      [bytes('<svg xmlns="http://www.w3.org/2000/svg">'), 'SVG/XML'],
      [bmpHead(41), 'BMP with an unknown header'],
      [bytes('P6\n4 4\n255\n'), 'Netpbm (PNM)'],
      [bytes('P1\n'), 'Netpbm (PNM)'],
      [bytes('P7\n'), 'Netpbm (PNM)'],
    ];
    for (const [head, name] of cases) {
      expect(sniffImageFormat(head), name).toBeNull();
      expect(describeUnsupportedImage(head), name).toBe(name);
    }
    // "P0" and "P8" are no Netpbm magic numbers.
    expect(describeUnsupportedImage(bytes('P0\n'))).toBeNull();
    expect(describeUnsupportedImage(bytes('P8\n'))).toBeNull();
  });
});

describe('format tables', () => {
  it('lists every format once, with its IANA media type and usual extension', () => {
    expect([...IMAGE_FORMATS].sort()).toEqual(['bmp', 'jpeg', 'png', 'tiff', 'webp']);
    expect(IMAGE_MIME_TYPES).toEqual({
      png: 'image/png',
      jpeg: 'image/jpeg',
      bmp: 'image/bmp',
      tiff: 'image/tiff',
      webp: 'image/webp',
    });
    expect(IMAGE_FILE_EXTENSIONS).toEqual({
      png: 'png',
      jpeg: 'jpg',
      bmp: 'bmp',
      tiff: 'tiff',
      webp: 'webp',
    });
    expect(Object.isFrozen(IMAGE_FORMATS)).toBe(true);
    expect(Object.isFrozen(IMAGE_MIME_TYPES)).toBe(true);
    expect(Object.isFrozen(IMAGE_FILE_EXTENSIONS)).toBe(true);
  });

  it('has a header fixture for every format', () => {
    expect(new Set(HEADERS.map((h) => h.format))).toEqual(new Set(IMAGE_FORMATS));
  });
});
