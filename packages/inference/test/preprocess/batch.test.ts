import { describe, expect, it } from 'vitest';
import {
  decodeImage,
  preprocessBatch,
  preprocessImage,
  preprocessMask,
  preprocessedRgb,
  probeImage,
} from '../../src/preprocess/index.js';
import { encodeBmp, encodeTiff, noise, raw } from './helpers.js';

const OPTIONS = { protocol: 'mvtec', normalization: { kind: 'imagenet' } } as const;

async function inputs(): Promise<Uint8Array[]> {
  const a = noise(300, 200, 3, 1);
  const b = noise(640, 480, 3, 2);
  const c = noise(97, 131, 3, 3);
  return [
    await raw(a, 300, 200, 3).png().toBuffer(),
    await raw(b, 640, 480, 3).blur(1).jpeg({ quality: 90 }).toBuffer(),
    encodeBmp(c, 97, 131, { bpp: 24 }),
    encodeTiff(
      Uint16Array.from(a, (v, i) => Math.min(65535, v * 257 + (i % 200))),
      300,
      200,
      3,
    ),
    await raw(b, 640, 480, 3).webp({ quality: 90 }).toBuffer(),
  ];
}

const same = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

describe('preprocessBatch', () => {
  it('is [B, 3, S, S]: image i equals preprocessImage of image i, for any concurrency', async () => {
    const images = await inputs();
    const one = await preprocessBatch(images, { ...OPTIONS, concurrency: 1 });
    const many = await preprocessBatch(images, { ...OPTIONS, concurrency: 3 });
    const plane = 3 * 224 * 224;
    expect(one.length).toBe(images.length * plane);
    expect(same(one, many)).toBe(true);
    for (let i = 0; i < images.length; i++) {
      const single = await preprocessImage(images[i]!, OPTIONS);
      expect(same(one.subarray(i * plane, (i + 1) * plane), single.data)).toBe(true);
    }
  });

  it('an empty batch is an empty tensor', async () => {
    expect((await preprocessBatch([], OPTIONS)).length).toBe(0);
  });
});

describe('determinism and inputs', () => {
  it('the same bytes give identical floats and masks every time', async () => {
    for (const bytes of await inputs()) {
      const a = await preprocessImage(bytes, OPTIONS);
      const b = await preprocessImage(bytes, OPTIONS);
      expect(same(a.data, b.data)).toBe(true);
      expect(same(await preprocessMask(bytes, OPTIONS), await preprocessMask(bytes, OPTIONS))).toBe(
        true,
      );
    }
  });

  it('never mutates its inputs', async () => {
    const images = await inputs();
    const copies = images.map((b) => Uint8Array.from(b));
    for (const bytes of images) {
      await probeImage(bytes);
      await decodeImage(bytes);
      await preprocessImage(bytes, OPTIONS);
      await preprocessedRgb(bytes, OPTIONS);
      await preprocessMask(bytes, OPTIONS);
    }
    await preprocessBatch(images, OPTIONS);
    images.forEach((b, i) => expect(same(b, copies[i]!)).toBe(true));
  });

  it('reads views at any byte offset (Buffer slices of a larger pool) the same', async () => {
    for (const bytes of await inputs()) {
      const pool = new Uint8Array(bytes.length + 7);
      pool.set(bytes, 5);
      const view = pool.subarray(5, 5 + bytes.length);
      const a = await preprocessImage(bytes, OPTIONS);
      const b = await preprocessImage(view, OPTIONS);
      expect(same(a.data, b.data)).toBe(true);
    }
  });
});
