import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import {
  decodeImage,
  preprocessImage,
  preprocessedRgb,
  probeImage,
  sniffImageFormat,
  type ImageInfo,
  type Normalization,
} from '../../src/preprocess/index.js';
import {
  encodeBmp,
  encodeTiff,
  imagenet,
  maxErrorToSolid,
  noise,
  raw,
  solid,
  type Rgb,
} from './helpers.js';

const W = 300;
const H = 200;
const COLOUR: Rgb = [201, 117, 42];
const GREY = 173;
const MVTEC = { protocol: 'mvtec', normalization: { kind: 'imagenet' } } as const;

/** Pixels with alpha varying from 0 to 255: alpha must be dropped, never composited. */
function withAlpha(colour: readonly number[], width: number, height: number): Uint8Array {
  const c = colour.length;
  const out = new Uint8Array(width * height * (c + 1));
  for (let i = 0; i < width * height; i++) {
    out.set(colour, i * (c + 1));
    out[i * (c + 1) + c] = (i * 37) % 256;
  }
  return out;
}

function u16(data: Uint8Array): Uint16Array {
  return Uint16Array.from(data, (v) => v * 257);
}

interface Case {
  readonly name: string;
  readonly make: () => Promise<Uint8Array> | Uint8Array;
  readonly expected: Rgb;
  readonly info: Partial<ImageInfo>;
}

const rgb8 = solid(W, H, COLOUR);
const grey8 = solid(W, H, [GREY]);
const G: Rgb = [GREY, GREY, GREY];

const cases: Case[] = [
  // PNG: every colour type, 8 and 16 bits.
  {
    name: 'PNG RGB 8',
    make: () => raw(rgb8, W, H, 3).png().toBuffer(),
    expected: COLOUR,
    info: { format: 'png', bitDepth: 8, colorSpace: 'rgb', channels: 3 },
  },
  {
    name: 'PNG RGBA 8',
    make: () =>
      raw(withAlpha(COLOUR, W, H), W, H, 4)
        .png()
        .toBuffer(),
    expected: COLOUR,
    info: { hasAlpha: true, channels: 4 },
  },
  {
    name: 'PNG grey 8',
    make: () => raw(grey8, W, H, 1).png().toBuffer(),
    expected: G,
    info: { colorSpace: 'grey', channels: 1 },
  },
  {
    name: 'PNG grey+alpha 8',
    make: () =>
      raw(withAlpha([GREY], W, H), W, H, 2)
        .png()
        .toBuffer(),
    expected: G,
    info: { colorSpace: 'grey', channels: 2, hasAlpha: true },
  },
  {
    name: 'PNG palette',
    make: () => raw(rgb8, W, H, 3).png({ palette: true }).toBuffer(),
    expected: COLOUR,
    info: { format: 'png' },
  },
  {
    name: 'PNG RGB 16',
    make: () => raw(u16(rgb8), W, H, 3).png().toBuffer(),
    expected: COLOUR,
    info: { bitDepth: 16, colorSpace: 'rgb' },
  },
  {
    name: 'PNG RGBA 16',
    make: () =>
      raw(u16(withAlpha(COLOUR, W, H)), W, H, 4)
        .png()
        .toBuffer(),
    expected: COLOUR,
    info: { bitDepth: 16, hasAlpha: true },
  },
  {
    name: 'PNG grey 16',
    make: () => raw(u16(grey8), W, H, 1).png().toBuffer(),
    expected: G,
    info: { bitDepth: 16, colorSpace: 'grey' },
  },
  {
    name: 'PNG grey+alpha 16',
    make: () =>
      raw(u16(withAlpha([GREY], W, H)), W, H, 2)
        .png()
        .toBuffer(),
    expected: G,
    info: { bitDepth: 16, channels: 2, hasAlpha: true },
  },
  // WebP (lossless; `exact` keeps the colour under transparent pixels).
  {
    name: 'WebP RGB',
    make: () => raw(rgb8, W, H, 3).webp({ lossless: true }).toBuffer(),
    expected: COLOUR,
    info: { format: 'webp' },
  },
  {
    name: 'WebP RGBA',
    make: () =>
      raw(withAlpha(COLOUR, W, H), W, H, 4)
        .webp({ lossless: true, exact: true })
        .toBuffer(),
    expected: COLOUR,
    info: { format: 'webp', hasAlpha: true },
  },
  // TIFF: sharp's writer for 8 bits, a hand-written baseline TIFF for 16 bits and grey+alpha.
  {
    name: 'TIFF RGB 8 (LZW)',
    make: () => raw(rgb8, W, H, 3).tiff({ compression: 'lzw' }).toBuffer(),
    expected: COLOUR,
    info: { format: 'tiff', bitDepth: 8 },
  },
  {
    name: 'TIFF RGBA 8',
    make: () => encodeTiff(withAlpha(COLOUR, W, H), W, H, 4),
    expected: COLOUR,
    info: { hasAlpha: true },
  },
  {
    name: 'TIFF grey 8',
    make: () => encodeTiff(grey8, W, H, 1),
    expected: G,
    info: { colorSpace: 'grey' },
  },
  {
    name: 'TIFF grey+alpha 8',
    make: () => encodeTiff(withAlpha([GREY], W, H), W, H, 2),
    expected: G,
    info: { hasAlpha: true },
  },
  {
    name: 'TIFF RGB 16',
    make: () => encodeTiff(u16(rgb8), W, H, 3),
    expected: COLOUR,
    info: { bitDepth: 16 },
  },
  {
    name: 'TIFF RGBA 16',
    make: () => encodeTiff(u16(withAlpha(COLOUR, W, H)), W, H, 4),
    expected: COLOUR,
    info: { bitDepth: 16, hasAlpha: true },
  },
  {
    name: 'TIFF grey 16',
    make: () => encodeTiff(u16(grey8), W, H, 1),
    expected: G,
    info: { bitDepth: 16, colorSpace: 'grey' },
  },
  // BMP: decoded by our own reader.
  {
    name: 'BMP 24 bottom-up',
    make: () => encodeBmp(rgb8, W, H, { bpp: 24 }),
    expected: COLOUR,
    info: { format: 'bmp', bitDepth: 8 },
  },
  {
    name: 'BMP 24 top-down',
    make: () => encodeBmp(rgb8, W, H, { bpp: 24, topDown: true }),
    expected: COLOUR,
    info: { format: 'bmp' },
  },
  {
    name: 'BMP 32',
    make: () => encodeBmp(rgb8, W, H, { bpp: 32 }),
    expected: COLOUR,
    info: { format: 'bmp' },
  },
  {
    name: 'BMP 32 V5 with alpha',
    make: () => encodeBmp(rgb8, W, H, { bpp: 32, header: 124 }),
    expected: COLOUR,
    info: { hasAlpha: true },
  },
  {
    name: 'BMP 8 paletted',
    make: () => encodeBmp(rgb8, W, H, { bpp: 8 }),
    expected: COLOUR,
    info: { colorSpace: 'rgb' },
  },
  {
    name: 'BMP 8 grey palette',
    make: () => encodeBmp(solid(W, H, G), W, H, { bpp: 8 }),
    expected: G,
    info: { colorSpace: 'grey' },
  },
  {
    name: 'BMP 1 bit',
    make: () => encodeBmp(rgb8, W, H, { bpp: 1 }),
    expected: COLOUR,
    info: { format: 'bmp' },
  },
  // 5-6-5 keeps only the top bits: 201 -> 25 -> 206, 117 -> 29 -> 117, 42 -> 5 -> 41 (rounded).
  {
    name: 'BMP 16 (5-6-5 bit fields)',
    make: () => encodeBmp(rgb8, W, H, { bpp: 16 }),
    expected: [206, 117, 41],
    info: { format: 'bmp' },
  },
];

describe('every supported format and colour type decodes to the exact normalised values', () => {
  it.each(cases)('$name', async ({ make, expected, info }) => {
    const bytes = await make();
    const out = await preprocessImage(bytes, MVTEC);
    expect(out.width).toBe(224);
    expect(out.height).toBe(224);
    expect(out.data.length).toBe(3 * 224 * 224);
    expect(maxErrorToSolid(out.data, 224, imagenet(expected))).toBeLessThanOrEqual(1e-6);
    expect(out.original).toMatchObject({ width: W, height: H, orientation: 1, pages: 1, ...info });
    expect(await probeImage(bytes)).toEqual(out.original);
  });
});

describe('JPEG', () => {
  it('RGB JPEG: a solid colour stays solid and within 2 levels; normalisation matches its pixels exactly', async () => {
    const bytes = await raw(rgb8, W, H, 3).jpeg({ quality: 95 }).toBuffer();
    expect(sniffImageFormat(bytes)).toBe('jpeg');
    const pixels = await preprocessedRgb(bytes, MVTEC);
    const first: Rgb = [pixels[0]!, pixels[1]!, pixels[2]!];
    for (let c = 0; c < 3; c++) expect(Math.abs(first[c]! - COLOUR[c]!)).toBeLessThanOrEqual(2);
    expect(pixels.every((v, i) => v === first[i % 3])).toBe(true);
    const out = await preprocessImage(bytes, MVTEC);
    expect(maxErrorToSolid(out.data, 224, imagenet(first))).toBeLessThanOrEqual(1e-6);
  });

  it('greyscale JPEG replicates grey into R = G = B', async () => {
    const bytes = await raw(grey8, W, H, 1).jpeg({ quality: 95 }).toBuffer();
    const d = await decodeImage(bytes);
    expect(d.original.colorSpace).toBe('grey');
    let replicated = true;
    let worst = 0;
    for (let i = 0; i < d.data.length; i += 3) {
      replicated &&= d.data[i + 1] === d.data[i] && d.data[i + 2] === d.data[i];
      worst = Math.max(worst, Math.abs(d.data[i]! - GREY));
    }
    expect(replicated).toBe(true);
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('CMYK JPEG and TIFF convert to RGB sanely (white, black, grey, primaries keep their order)', async () => {
    const colours: Rgb[] = [
      [255, 255, 255],
      [0, 0, 0],
      [128, 128, 128],
      [255, 0, 0],
      [0, 0, 255],
    ];
    const w = 20 * colours.length;
    const h = 10;
    const stripes = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) stripes.set(colours[Math.floor(x / 20)]!, (y * w + x) * 3);
    const cmykJpeg = await raw(stripes, w, h, 3)
      .toColourspace('cmyk')
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .toBuffer();
    const cmykTiff = await raw(stripes, w, h, 3)
      .toColourspace('cmyk')
      .tiff({ compression: 'lzw' })
      .toBuffer();
    for (const bytes of [cmykJpeg, cmykTiff]) {
      const d = await decodeImage(bytes);
      expect(d.original).toMatchObject({ colorSpace: 'cmyk', channels: 4, hasAlpha: false });
      const at = (i: number): number[] =>
        Array.from(d.data.subarray((5 * w + 20 * i + 10) * 3, (5 * w + 20 * i + 10) * 3 + 3));
      const [white, black, grey, red, blue] = [0, 1, 2, 3, 4].map(at) as [
        number[],
        number[],
        number[],
        number[],
        number[],
      ];
      for (const v of white) expect(v).toBeGreaterThanOrEqual(250);
      for (const v of black) expect(v).toBeLessThanOrEqual(20);
      for (const v of grey) expect(Math.abs(v - 120)).toBeLessThanOrEqual(20);
      expect(Math.max(...grey) - Math.min(...grey)).toBeLessThanOrEqual(6);
      expect(red[0]).toBeGreaterThan(200);
      expect(Math.max(red[1]!, red[2]!)).toBeLessThan(40);
      expect(blue[2]).toBeGreaterThan(Math.max(blue[0]!, blue[1]!) + 60);
    }
  });

  it('is not shrunk on load: a large JPEG gives exactly what a lossless copy of its pixels gives', async () => {
    // 2048 -> 256 is an 8x reduction, where sharp's one-pipeline path would decode the JPEG at 1/4.
    const size = 2048;
    const bytes = await raw(noise(size, size, 3, 7), size, size, 3)
      .blur(3)
      .jpeg({ quality: 90 })
      .toBuffer();
    const pixels = await decodeImage(bytes);
    const png = await raw(pixels.data, size, size, 3).png({ compressionLevel: 1 }).toBuffer();
    const a = await preprocessImage(bytes, MVTEC);
    const b = await preprocessImage(png, MVTEC);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
  });
});

describe('16-bit inputs scale to 8 bits like the 8-bit version of the same picture', () => {
  const w = 160;
  const h = 120;
  const picture = noise(w, h, 3, 11);

  it('v * 257 (exact 16-bit copy of an 8-bit image): identical pixels and floats, PNG and TIFF', async () => {
    const ref = await preprocessImage(await raw(picture, w, h, 3).png().toBuffer(), MVTEC);
    for (const bytes of [
      await raw(u16(picture), w, h, 3).png().toBuffer(),
      encodeTiff(u16(picture), w, h, 3),
    ]) {
      const out = await preprocessImage(bytes, MVTEC);
      expect(out.original.bitDepth).toBe(16);
      expect(Buffer.from(out.data.buffer).equals(Buffer.from(ref.data.buffer))).toBe(true);
    }
  });

  it('arbitrary 16-bit values: within 1 level of the rounded 8-bit picture', async () => {
    const rnd = noise(w, h, 3, 12);
    const deep = Uint16Array.from(picture, (v, i) =>
      Math.min(65535, v * 257 + rnd[i]! - 128 * (v > 0 ? 1 : 0)),
    );
    const eight = Uint8Array.from(deep, (v) => Math.round(v / 257));
    const a = await decodeImage(await raw(deep, w, h, 3).png().toBuffer());
    const b = await decodeImage(await raw(eight, w, h, 3).png().toBuffer());
    let worst = 0;
    for (let i = 0; i < a.data.length; i++)
      worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
    expect(worst).toBeLessThanOrEqual(1);
    // After the resize the difference is no longer bounded by 1 level: Catmull-Rom's negative lobes
    // (sum |w| up to ~1.56 in 2D) and the rounding of each separable pass can turn +-1 into +-3.
    const pa = await preprocessImage(await raw(deep, w, h, 3).png().toBuffer(), MVTEC);
    const pb = await preprocessImage(await raw(eight, w, h, 3).png().toBuffer(), MVTEC);
    let worstLevels = 0;
    let sumLevels = 0;
    for (let i = 0; i < pa.data.length; i++) {
      const std = [0.229, 0.224, 0.225][Math.floor(i / (224 * 224))]!;
      const levels = Math.abs(pa.data[i]! - pb.data[i]!) * std * 255;
      worstLevels = Math.max(worstLevels, levels);
      sumLevels += levels;
    }
    expect(worstLevels).toBeLessThanOrEqual(3 + 1e-3);
    expect(sumLevels / pa.data.length).toBeLessThan(0.5);
  });
});

describe('normalisations', () => {
  const bytes = raw(rgb8, W, H, 3).png().toBuffer();
  const cases: { n: Normalization; expected: Rgb }[] = [
    { n: { kind: 'imagenet' }, expected: imagenet(COLOUR) },
    {
      n: { kind: 'meanStd', mean: [0.5, 0.25, 0.75], std: [0.1, 0.2, 0.3] },
      expected: [(201 / 255 - 0.5) / 0.1, (117 / 255 - 0.25) / 0.2, (42 / 255 - 0.75) / 0.3],
    },
    { n: { kind: 'minusOneOne' }, expected: [201 / 127.5 - 1, 117 / 127.5 - 1, 42 / 127.5 - 1] },
  ];
  it.each(cases)('$n.kind', async ({ n, expected }) => {
    const out = await preprocessImage(await bytes, { protocol: 'stc', normalization: n });
    expect(out.width).toBe(256);
    expect(maxErrorToSolid(out.data, 256, expected)).toBeLessThanOrEqual(1e-6);
  });

  it('rejects a meanStd with a zero std', async () => {
    await expect(
      preprocessImage(await bytes, {
        protocol: 'stc',
        normalization: { kind: 'meanStd', mean: [0, 0, 0], std: [1, 0, 1] },
      }),
    ).rejects.toMatchObject({ name: 'PadimError', code: 'INVALID_ARGUMENT' });
  });

  it('minusOneOne maps 0 and 255 to exactly -1 and 1', async () => {
    const bw = new Uint8Array(256 * 256 * 3);
    bw.fill(255, 0, bw.length / 2);
    const out = await preprocessImage(await raw(bw, 256, 256, 3).png().toBuffer(), {
      protocol: 'stc',
      normalization: { kind: 'minusOneOne' },
    });
    expect(out.data[0]).toBe(1);
    expect(out.data[256 * 256 - 1]).toBe(-1);
  });
});

it('sharp itself has no BMP loader (why bmp.ts exists)', async () => {
  const bmp = encodeBmp(solid(4, 4, COLOUR), 4, 4, { bpp: 24 });
  await expect(sharp(bmp).metadata()).rejects.toThrow();
});
