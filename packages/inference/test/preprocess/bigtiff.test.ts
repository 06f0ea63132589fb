import { describe, expect, it } from 'vitest';
import {
  decodeImage,
  probeImage,
  requireImageFormat,
  sniffImageFormat,
} from '../../src/preprocess/index.js';
import { encodeBigTiff, encodeTiff, noise, raw } from './helpers.js';

const W = 37;
const H = 23;

/**
 * BigTIFF is accepted by the shared sniffer (@padim/core), so the decoder must read it: libtiff in
 * sharp/libvips does, in both byte orders, with the same pixels as classic TIFF.
 */
describe('BigTIFF (TIFF version 43)', () => {
  const rgb = noise(W, H, 3, 11);
  const grey = noise(W, H, 1, 12);

  for (const bigEndian of [false, true]) {
    const order = bigEndian ? 'big-endian (MM 00 2B)' : 'little-endian (II 2B 00)';

    it(`a hand-written ${order} RGB BigTIFF decodes to its exact pixels`, async () => {
      const bytes = encodeBigTiff(rgb, W, H, 3, { bigEndian });
      expect(Array.from(bytes.subarray(0, 4))).toEqual(
        bigEndian ? [0x4d, 0x4d, 0x00, 0x2b] : [0x49, 0x49, 0x2b, 0x00],
      );
      expect(sniffImageFormat(bytes)).toBe('tiff');
      expect(requireImageFormat(bytes)).toBe('tiff');
      const decoded = await decodeImage(bytes);
      expect(decoded.original).toMatchObject({ format: 'tiff', width: W, height: H, bitDepth: 8 });
      expect(new Uint8Array(decoded.data)).toEqual(rgb);
      // Same pixels as the classic TIFF of the same samples.
      expect((await decodeImage(encodeTiff(rgb, W, H, 3))).data).toEqual(decoded.data);
    });

    it(`a hand-written ${order} grey BigTIFF decodes with grey replicated`, async () => {
      const decoded = await decodeImage(encodeBigTiff(grey, W, H, 1, { bigEndian }));
      expect(decoded.original).toMatchObject({ format: 'tiff', colorSpace: 'grey', channels: 1 });
      expect(new Uint8Array(decoded.data)).toEqual(
        Uint8Array.from(Array.from(grey).flatMap((g) => [g, g, g])),
      );
    });
  }

  it("sharp's own BigTIFF writer is read back too", async () => {
    const bytes = new Uint8Array(
      await raw(rgb, W, H, 3).tiff({ bigtiff: true, compression: 'lzw' }).toBuffer(),
    );
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x49, 0x49, 0x2b, 0x00]);
    expect(sniffImageFormat(bytes)).toBe('tiff');
    expect(await probeImage(bytes)).toMatchObject({ format: 'tiff', width: W, height: H });
    expect(new Uint8Array((await decodeImage(bytes)).data)).toEqual(rgb);
  });
});
