import { describe, expect, it } from 'vitest';
import {
  cropRegionInOriginal,
  decodeImage,
  preprocessGeometry,
  preprocessImage,
  preprocessedRgb,
  rgbToTensor,
} from '../../src/preprocess/index.js';
import { boundingBox, fillRect, raw, solid, type Rgb } from './helpers.js';

const RED: Rgb = [255, 0, 0];
const BLUE: Rgb = [0, 0, 255];
const isRed = (r: number, g: number, b: number): boolean => r > 200 && g < 60 && b < 60;

type Box = { x0: number; y0: number; x1: number; y1: number };
/** Each edge of `box` within `tol` pixels of `expected` (0 for lossless formats). */
function expectBox(box: Box | undefined, expected: Box, tol: number): void {
  expect(box).toBeDefined();
  for (const k of ['x0', 'y0', 'x1', 'y1'] as const) {
    expect(
      Math.abs(box![k] - expected[k]),
      `${k}: ${box![k]} vs ${expected[k]}`,
    ).toBeLessThanOrEqual(tol);
  }
}

describe('EXIF orientation is applied', () => {
  // 120 x 80 stored pixels, blue, with a red 20 x 20 marker at the stored top-left corner.
  const w = 120;
  const h = 80;
  const stored = solid(w, h, BLUE);
  fillRect(stored, w, { x: 0, y: 0, w: 20, h: 20 }, RED);

  const variants = [
    {
      name: 'PNG',
      tol: 0,
      encode: (o: number) => raw(stored, w, h, 3).png().withMetadata({ orientation: o }).toBuffer(),
    },
    {
      name: 'JPEG',
      tol: 2,
      encode: (o: number) =>
        raw(stored, w, h, 3).jpeg({ quality: 95 }).withMetadata({ orientation: o }).toBuffer(),
    },
  ];

  for (const { name, tol, encode } of variants) {
    it(`${name} orientation 6 (rotate 90 clockwise): the marker lands top-right`, async () => {
      const bytes = await encode(6);
      const d = await decodeImage(bytes);
      expect(d.original).toMatchObject({ orientation: 6, width: 80, height: 120 });
      expect([d.width, d.height]).toEqual([80, 120]);
      expectBox(
        boundingBox(d.data, d.width, d.height, isRed),
        { x0: 60, y0: 0, x1: 79, y1: 19 },
        tol,
      );
      // Through the whole preprocessing (stc, 256): the marker spans x 192..255, y 0..42.
      const rgb = await preprocessedRgb(bytes, { protocol: 'stc' });
      expectBox(boundingBox(rgb, 256, 256, isRed), { x0: 192, y0: 0, x1: 255, y1: 42 }, tol + 2);
    });

    it(`${name} orientation 8 (rotate 90 counter-clockwise): the marker lands bottom-left`, async () => {
      const d = await decodeImage(await encode(8));
      expect(d.original).toMatchObject({ orientation: 8, width: 80, height: 120 });
      const box = boundingBox(d.data, d.width, d.height, isRed);
      expectBox(box, { x0: 0, y0: 100, x1: 19, y1: 119 }, tol);
    });
  }

  it('orientation 1 leaves the marker where it is', async () => {
    const d = await decodeImage(
      await raw(stored, w, h, 3).png().withMetadata({ orientation: 1 }).toBuffer(),
    );
    expect(boundingBox(d.data, d.width, d.height, isRed)).toMatchObject({
      x0: 0,
      y0: 0,
      x1: 19,
      y1: 19,
    });
  });
});

describe('mvtec center crop and stc', () => {
  // 256 x 256: the resize is the identity, so the crop can be checked pixel for pixel.
  const picture = solid(256, 256, BLUE);
  fillRect(picture, 256, { x: 0, y: 100, w: 12, h: 12 }, RED); // left border: cropped away
  fillRect(picture, 256, { x: 244, y: 30, w: 12, h: 12 }, RED); // right border: cropped away
  fillRect(picture, 256, { x: 100, y: 50, w: 20, h: 20 }, RED); // inside: moves by (-16, -16)
  const png = raw(picture, 256, 256, 3).png().toBuffer();

  it('crops the centred 224 x 224: offset 16 on both axes, exactly', async () => {
    const rgb = await preprocessedRgb(await png, { protocol: 'mvtec' });
    expect(rgb.length).toBe(224 * 224 * 3);
    expect(boundingBox(rgb, 224, 224, isRed)).toEqual({
      x0: 84,
      y0: 34,
      x1: 103,
      y1: 53,
      count: 400,
    });
    for (let y = 0; y < 224; y++) {
      const expected = picture.subarray(((y + 16) * 256 + 16) * 3, ((y + 16) * 256 + 240) * 3);
      expect(
        Buffer.from(rgb.subarray(y * 224 * 3, (y + 1) * 224 * 3)).equals(Buffer.from(expected)),
      ).toBe(true);
    }
  });

  it('stc keeps all 256 x 256 (markers near the border included)', async () => {
    const out = await preprocessImage(await png, {
      protocol: 'stc',
      normalization: { kind: 'imagenet' },
    });
    expect([out.width, out.height, out.data.length]).toEqual([256, 256, 3 * 256 * 256]);
    const rgb = await preprocessedRgb(await png, { protocol: 'stc' });
    expect(Buffer.from(rgb).equals(Buffer.from(picture))).toBe(true);
    expect(boundingBox(rgb, 256, 256, isRed)!.count).toBe(2 * 144 + 400);
  });

  it('a centred marker in a non-square image stays centred after resize and crop', async () => {
    const w = 1130;
    const h = 460;
    const img = solid(w, h, BLUE);
    fillRect(img, w, { x: 565 - 50, y: 230 - 20, w: 100, h: 40 }, RED);
    const rgb = await preprocessedRgb(await raw(img, w, h, 3).png().toBuffer(), {
      protocol: 'mvtec',
    });
    const box = boundingBox(rgb, 224, 224, isRed)!;
    // Symmetric about the centre (111.5) within a pixel.
    expect(Math.abs(box.x0 + box.x1 - 223)).toBeLessThanOrEqual(1);
    expect(Math.abs(box.y0 + box.y1 - 223)).toBeLessThanOrEqual(1);
    // 100 px of 1130 -> ~22.7 px of 256; 40 of 460 -> ~22.3 px.
    expect(Math.abs(box.x1 - box.x0 + 1 - 22.7)).toBeLessThanOrEqual(2);
    expect(Math.abs(box.y1 - box.y0 + 1 - 22.3)).toBeLessThanOrEqual(2);
  });

  it('geometry: torchvision CenterCrop offsets (Python rounding) and the region in the original', () => {
    expect(preprocessGeometry({ protocol: 'mvtec' })).toEqual({
      protocol: 'mvtec',
      resizeSize: 256,
      size: 224,
      offset: 16,
    });
    expect(preprocessGeometry({ protocol: 'stc' })).toEqual({
      protocol: 'stc',
      resizeSize: 256,
      size: 256,
      offset: 0,
    });
    // round(15.5) = 16, round(14.5) = 14 in Python.
    expect(preprocessGeometry({ protocol: 'mvtec', resizeSize: 256, cropSize: 225 }).offset).toBe(
      16,
    );
    expect(preprocessGeometry({ protocol: 'mvtec', resizeSize: 256, cropSize: 227 }).offset).toBe(
      14,
    );
    expect(preprocessGeometry({ protocol: 'mvtec', resizeSize: 320, cropSize: 288 }).offset).toBe(
      16,
    );
    expect(cropRegionInOriginal(preprocessGeometry({ protocol: 'mvtec' }), 1130, 460)).toEqual({
      left: (16 * 1130) / 256,
      top: (16 * 460) / 256,
      width: (224 * 1130) / 256,
      height: (224 * 460) / 256,
    });
    expect(() => preprocessGeometry({ protocol: 'mvtec', cropSize: 257 })).toThrow(/cropSize/);
    expect(() => preprocessGeometry({ protocol: 'mvtec', resizeSize: 0 })).toThrow(/resizeSize/);
  });

  it('custom sizes: resize 320, crop 288', async () => {
    const out = await preprocessImage(await png, {
      protocol: 'mvtec',
      resizeSize: 320,
      cropSize: 288,
      normalization: { kind: 'imagenet' },
    });
    expect([out.width, out.height, out.data.length]).toEqual([288, 288, 3 * 288 * 288]);
    expect(out.geometry.offset).toBe(16);
  });

  it('preprocessedRgb is exactly what preprocessImage normalises', async () => {
    const w = 333;
    const h = 217;
    const img = solid(w, h, BLUE);
    fillRect(img, w, { x: 40, y: 60, w: 150, h: 90 }, RED);
    fillRect(img, w, { x: 200, y: 10, w: 30, h: 190 }, [30, 200, 90]);
    const bytes = await raw(img, w, h, 3).png().toBuffer();
    const options = { protocol: 'mvtec', normalization: { kind: 'imagenet' } } as const;
    const rgb = await preprocessedRgb(bytes, options);
    const out = await preprocessImage(bytes, options);
    expect(
      Buffer.from(rgbToTensor(rgb, 224, options.normalization).buffer).equals(
        Buffer.from(out.data.buffer),
      ),
    ).toBe(true);
  });
});
