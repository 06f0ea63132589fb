import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import {
  DEFAULT_MAX_INPUT_PIXELS,
  ImageError,
  ImageErrorCode,
  decodeImage,
  preprocessBatch,
  preprocessImage,
  preprocessMask,
  preprocessedRgb,
  probeImage,
  sniffImageFormat,
} from '../../src/preprocess/index.js';
import { encodeBmp, encodeTiff, noise, pngBomb, prng, raw, solid } from './helpers.js';

const OPTIONS = { protocol: 'mvtec', normalization: { kind: 'imagenet' } } as const;

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; error: ImageError }> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(ImageError);
    const error = e as ImageError;
    return { code: error.code, error };
  }
  throw new Error('expected an ImageError, got a result');
}

describe('truncated or damaged data -> CORRUPT_IMAGE, with our message and sharp as the cause', () => {
  const w = 200;
  const h = 150;
  const pixels = noise(w, h, 3, 3);
  const formats = {
    PNG: () => raw(pixels, w, h, 3).png().toBuffer(),
    JPEG: () => raw(pixels, w, h, 3).jpeg({ quality: 90 }).toBuffer(),
    'progressive JPEG': () =>
      raw(pixels, w, h, 3).jpeg({ quality: 90, progressive: true }).toBuffer(),
    WebP: () => raw(pixels, w, h, 3).webp({ quality: 80 }).toBuffer(),
    TIFF: async () => encodeTiff(pixels, w, h, 3),
    BMP: async () => encodeBmp(pixels, w, h, { bpp: 24 }),
  };
  for (const [name, make] of Object.entries(formats)) {
    for (const keep of [0.3, 0.6, 0.95]) {
      it(`${name} cut to ${keep * 100}%`, async () => {
        const whole = await make();
        const cut = whole.subarray(0, Math.floor(whole.length * keep));
        const { code, error } = await codeOf(preprocessImage(cut, OPTIONS));
        expect(code).toBe(ImageErrorCode.CORRUPT_IMAGE);
        expect(error.message).toMatch(new RegExp(`^${name.replace('progressive ', '')} image`));
        expect(error.message).toMatch(/truncated|corrupt/i);
        if (name !== 'BMP') expect(error.cause).toBeInstanceOf(Error);
      });
    }
  }

  it('a JPEG missing only its end-of-image marker is CORRUPT_IMAGE too', async () => {
    const whole = await formats.JPEG();
    const { code } = await codeOf(decodeImage(whole.subarray(0, whole.length - 2)));
    expect(code).toBe(ImageErrorCode.CORRUPT_IMAGE);
  });

  it('a PNG cut inside its header is CORRUPT_IMAGE (the signature says PNG)', async () => {
    const whole = await formats.PNG();
    const { code, error } = await codeOf(probeImage(whole.subarray(0, 20)));
    expect(code).toBe(ImageErrorCode.CORRUPT_IMAGE);
    expect(error.message).toMatch(/^PNG image \(20 bytes\)/);
  });
});

describe('UNSUPPORTED_FORMAT and EMPTY_INPUT', () => {
  it('random bytes', async () => {
    const rnd = prng(1234);
    const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(rnd() * 256));
    expect(sniffImageFormat(bytes)).toBeUndefined();
    const { code, error } = await codeOf(preprocessImage(bytes, OPTIONS));
    expect(code).toBe(ImageErrorCode.UNSUPPORTED_FORMAT);
    expect(error.message).toMatch(/supported: PNG, JPEG, BMP, TIFF, WebP/);
  });

  it('a GIF is named in the message', async () => {
    const gif = await raw(solid(8, 8, [1, 2, 3]), 8, 8, 3)
      .gif()
      .toBuffer();
    const { code, error } = await codeOf(decodeImage(gif));
    expect(code).toBe(ImageErrorCode.UNSUPPORTED_FORMAT);
    expect(error.message).toMatch(/^GIF images are not supported/);
  });

  it('the format comes from the bytes, never from a name: text that says ".png" is not a PNG', async () => {
    const { code } = await codeOf(decodeImage(new TextEncoder().encode('image.png')));
    expect(code).toBe(ImageErrorCode.UNSUPPORTED_FORMAT);
  });

  it('an RLE-compressed BMP is UNSUPPORTED_FORMAT with the reason', async () => {
    const bmp = encodeBmp(solid(8, 8, [9, 9, 9]), 8, 8, { bpp: 8 });
    new DataView(bmp.buffer).setUint32(30, 1, true); // BI_RLE8
    const { code, error } = await codeOf(decodeImage(bmp));
    expect(code).toBe(ImageErrorCode.UNSUPPORTED_FORMAT);
    expect(error.message).toMatch(/RLE/);
  });

  it('a 32-bit float TIFF is UNSUPPORTED_FORMAT', async () => {
    const floats = encodeTiff(new Float32Array(16).fill(0.5), 4, 4, 1);
    expect((await sharp(floats).metadata()).depth).toBe('float');
    const { code, error } = await codeOf(decodeImage(floats));
    expect(code).toBe(ImageErrorCode.UNSUPPORTED_FORMAT);
    expect(error.message).toMatch(/'float' samples/);
  });

  it('zero bytes: EMPTY_INPUT from every entry point', async () => {
    for (const empty of [new Uint8Array(0), Buffer.alloc(0)]) {
      for (const p of [
        probeImage(empty),
        decodeImage(empty),
        preprocessImage(empty, OPTIONS),
        preprocessedRgb(empty, OPTIONS),
        preprocessMask(empty, OPTIONS),
      ]) {
        expect((await codeOf(p)).code).toBe(ImageErrorCode.EMPTY_INPUT);
      }
    }
  });

  it('preprocessBatch names the failing image', async () => {
    const good = await raw(solid(32, 32, [1, 2, 3]), 32, 32, 3)
      .png()
      .toBuffer();
    const { code, error } = await codeOf(
      preprocessBatch([good, good, new Uint8Array(0), good], OPTIONS),
    );
    expect(code).toBe(ImageErrorCode.EMPTY_INPUT);
    expect(error.index).toBe(2);
    expect(error.message).toMatch(/^image 2 of 4: /);
    expect(error.cause).toBeInstanceOf(ImageError);
  });
});

describe('IMAGE_TOO_LARGE: the decompression-bomb guard', () => {
  it('a 30000 x 30000 PNG bomb (tiny on disk) is refused from its header, fast', async () => {
    const bomb = pngBomb(30000, 30000);
    expect(bomb.length).toBeLessThan(200_000);
    // It is a real, valid PNG: sharp reads its header.
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toMatchObject({
      width: 30000,
      height: 30000,
    });
    for (const run of [() => preprocessImage(bomb, OPTIONS), () => preprocessMask(bomb, OPTIONS)]) {
      const t = performance.now();
      const { code, error } = await codeOf(run());
      expect(performance.now() - t).toBeLessThan(1000);
      expect(code).toBe(ImageErrorCode.IMAGE_TOO_LARGE);
      expect(error.message).toMatch(
        /30000 x 30000 = 900000000 pixels exceeds the limit of 64000000/,
      );
    }
    expect(DEFAULT_MAX_INPUT_PIXELS).toBe(64_000_000);
  });

  it('a lowered maxInputPixels applies to every format', async () => {
    const pixels = solid(300, 200, [5, 6, 7]);
    const inputs = [
      await raw(pixels, 300, 200, 3).png().toBuffer(),
      await raw(pixels, 300, 200, 3).jpeg().toBuffer(),
      await raw(pixels, 300, 200, 3).webp().toBuffer(),
      encodeTiff(pixels, 300, 200, 3),
      encodeBmp(pixels, 300, 200, { bpp: 24 }),
    ];
    for (const bytes of inputs) {
      const { code } = await codeOf(preprocessImage(bytes, { ...OPTIONS, maxInputPixels: 59_999 }));
      expect(code).toBe(ImageErrorCode.IMAGE_TOO_LARGE);
      await expect(
        preprocessImage(bytes, { ...OPTIONS, maxInputPixels: 60_000 }),
      ).resolves.toBeDefined();
    }
  });

  it('a BMP header claiming 30000 x 30000 is refused before its (absent) pixels are read', async () => {
    const bmp = encodeBmp(solid(4, 4, [1, 1, 1]), 4, 4, { bpp: 24 });
    const v = new DataView(bmp.buffer);
    v.setInt32(18, 30000, true);
    v.setInt32(22, 30000, true);
    expect((await codeOf(decodeImage(bmp))).code).toBe(ImageErrorCode.IMAGE_TOO_LARGE);
    // Within the limit, the same header is a truncated file.
    expect((await codeOf(decodeImage(bmp, { maxInputPixels: 1e9 }))).code).toBe(
      ImageErrorCode.CORRUPT_IMAGE,
    );
  });
});
