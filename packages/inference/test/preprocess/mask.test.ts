import { describe, expect, it } from 'vitest';
import { preprocessMask, preprocessedRgb } from '../../src/preprocess/index.js';
import { boundingBox, encodeBmp, fillRect, raw, solid, type Rgb } from './helpers.js';

const MVTEC = { protocol: 'mvtec' } as const;
const RED: Rgb = [255, 0, 0];
const isRed = (r: number, g: number, b: number): boolean => r > 127 && g < 128 && b < 128;

/** Bounding box of the 1s of an S x S mask. */
function maskBox(mask: Uint8Array, s: number): ReturnType<typeof boundingBox> {
  const rgb = new Uint8Array(s * s * 3);
  mask.forEach((v, i) => rgb.fill(v * 255, i * 3, i * 3 + 3));
  return boundingBox(rgb, s, s, (r) => r > 0);
}

/** A grey mask (0 or `value`) with one rectangle set. */
function greyMask(
  w: number,
  h: number,
  rect: { x: number; y: number; w: number; h: number },
  value = 255,
): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = rect.y; y < rect.y + rect.h; y++)
    m.fill(value, y * w + rect.x, y * w + rect.x + rect.w);
  return m;
}

describe('preprocessMask', () => {
  it('stays binary (0/1) after the resize and is S x S', async () => {
    const w = 1130;
    const h = 460;
    const m = greyMask(w, h, { x: 300, y: 100, w: 301, h: 57 });
    m.fill(255, 400 * w + 1000, 400 * w + 1003); // a 3-pixel defect
    const mvtec = await preprocessMask(await raw(m, w, h, 1).png().toBuffer(), MVTEC);
    expect(mvtec.length).toBe(224 * 224);
    expect(mvtec.every((v) => v === 0 || v === 1)).toBe(true);
    expect(mvtec.some((v) => v === 1)).toBe(true);
    const stc = await preprocessMask(await raw(m, w, h, 1).png().toBuffer(), { protocol: 'stc' });
    expect(stc.length).toBe(256 * 256);
    expect(stc.every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('aligns exactly with the image crop when the scale is an integer', async () => {
    // 512 -> 256 halves; the block [100, 200) becomes [50, 100), then [34, 84) after the crop.
    const rect = { x: 100, y: 100, w: 100, h: 100 };
    const mask = await preprocessMask(
      await raw(greyMask(512, 512, rect), 512, 512, 1)
        .png()
        .toBuffer(),
      MVTEC,
    );
    expect(maskBox(mask, 224)).toEqual({ x0: 34, y0: 34, x1: 83, y1: 83, count: 50 * 50 });
    const img = solid(512, 512, [0, 0, 0]);
    fillRect(img, 512, rect, RED);
    const rgb = await preprocessedRgb(await raw(img, 512, 512, 3).png().toBuffer(), MVTEC);
    expect(boundingBox(rgb, 224, 224, isRed)).toMatchObject({ x0: 34, y0: 34, x1: 83, y1: 83 });
  });

  it('aligns with the image crop for non-integer scales and for a mask of a different size', async () => {
    const w = 1130;
    const h = 460;
    const rect = { x: 400, y: 150, w: 200, h: 120 };
    const img = solid(w, h, [0, 0, 0]);
    fillRect(img, w, rect, RED);
    const imageBox = boundingBox(
      await preprocessedRgb(await raw(img, w, h, 3).png().toBuffer(), MVTEC),
      224,
      224,
      isRed,
    )!;
    const full = maskBox(
      await preprocessMask(
        await raw(greyMask(w, h, rect), w, h, 1)
          .png()
          .toBuffer(),
        MVTEC,
      ),
      224,
    )!;
    const halfRect = { x: 200, y: 75, w: 100, h: 60 };
    const half = maskBox(
      await preprocessMask(
        await raw(greyMask(565, 230, halfRect), 565, 230, 1)
          .png()
          .toBuffer(),
        MVTEC,
      ),
      224,
    )!;
    for (const box of [full, half]) {
      for (const k of ['x0', 'y0', 'x1', 'y1'] as const)
        expect(Math.abs(box[k] - imageBox[k]), k).toBeLessThanOrEqual(1);
    }
  });

  it('nonzero is a defect at the file bit depth: 8-bit 1, 16-bit 1, any RGB channel; alpha ignored', async () => {
    const rect = { x: 64, y: 64, w: 128, h: 128 };
    const eight = await raw(greyMask(256, 256, rect, 1), 256, 256, 1)
      .png()
      .toBuffer();
    const sixteen = await raw(Uint16Array.from(greyMask(256, 256, rect, 1)), 256, 256, 1)
      .png()
      .toBuffer();
    const blueOnly = solid(256, 256, [0, 0, 0]);
    fillRect(blueOnly, 256, rect, [0, 0, 1]);
    const rgb = await raw(blueOnly, 256, 256, 3).png().toBuffer();
    // RGBA: the colour decides, not the alpha (transparent defect pixels, opaque background).
    const rgba = new Uint8Array(256 * 256 * 4);
    for (let i = 0; i < 256 * 256; i++) rgba[i * 4 + 3] = 255;
    for (let y = rect.y; y < rect.y + rect.h; y++) {
      for (let x = rect.x; x < rect.x + rect.w; x++)
        rgba.set([255, 255, 255, 0], (y * 256 + x) * 4);
    }
    const withAlpha = await raw(rgba, 256, 256, 4).png().toBuffer();
    // A paletted BMP whose defect colour is (9, 9, 9).
    const bmpPixels = solid(256, 256, [0, 0, 0]);
    fillRect(bmpPixels, 256, rect, [9, 9, 9]);
    const bmp = encodeBmp(bmpPixels, 256, 256, { bpp: 8 });
    for (const bytes of [eight, sixteen, rgb, withAlpha, bmp]) {
      const m = await preprocessMask(bytes, { protocol: 'stc' });
      expect(maskBox(m, 256)).toEqual({ x0: 64, y0: 64, x1: 191, y1: 191, count: 128 * 128 });
    }
  });

  it('threshold is a fraction of full scale', async () => {
    const m = greyMask(256, 256, { x: 0, y: 0, w: 128, h: 256 }, 100);
    m.fill(200, 0, 256 * 10); // rows 0..9 fully at 200
    const bytes = await raw(m, 256, 256, 1).png().toBuffer();
    const high = await preprocessMask(bytes, { protocol: 'stc', threshold: 0.5 });
    expect(maskBox(high, 256)).toEqual({ x0: 0, y0: 0, x1: 255, y1: 9, count: 2560 });
    const any = await preprocessMask(bytes, { protocol: 'stc' });
    expect(any.reduce((a, b) => a + b, 0)).toBe(128 * 246 + 2560);
    await expect(preprocessMask(bytes, { protocol: 'stc', threshold: 1 })).rejects.toThrow(
      /threshold/,
    );
  });

  it('applies the EXIF orientation like the image', async () => {
    const m = greyMask(120, 80, { x: 0, y: 0, w: 20, h: 20 });
    const mask = await preprocessMask(
      await raw(m, 120, 80, 1).png().withMetadata({ orientation: 6 }).toBuffer(),
      {
        protocol: 'stc',
      },
    );
    const box = maskBox(mask, 256)!;
    expect([box.x1, box.y0]).toEqual([255, 0]);
    expect(Math.abs(box.x0 - 192)).toBeLessThanOrEqual(1);
    expect(Math.abs(box.y1 - 42)).toBeLessThanOrEqual(1);
  });

  it('accepts the image options as they are (normalization is ignored)', async () => {
    const bytes = await raw(greyMask(64, 64, { x: 0, y: 0, w: 32, h: 64 }), 64, 64, 1)
      .png()
      .toBuffer();
    const a = await preprocessMask(bytes, {
      protocol: 'mvtec',
      normalization: { kind: 'imagenet' },
    });
    const b = await preprocessMask(bytes, { protocol: 'mvtec' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
