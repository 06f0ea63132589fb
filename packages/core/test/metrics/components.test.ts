import { describe, expect, it } from 'vitest';
import { PadimErrorCode } from '../../src/errors.js';
import { connectedComponents, regionsFromMap } from '../../src/metrics/index.js';
import type { Connectivity } from '../../src/metrics/index.js';
import { golden, goldenMaps, maskBytes } from './golden.js';
import { expectPadimError, snapshot } from './helpers.js';

/** Masks from rows of '.' (0) and '#' (1). */
function art(...rows: string[]): [Uint8Array, number, number] {
  return [
    maskBytes(rows.join('').replace(/#/g, '1').replace(/\./g, '0')),
    rows.length,
    rows[0]!.length,
  ];
}

describe('connectedComponents (golden: scipy.ndimage.label / find_objects)', () => {
  const { height, width, mask, labels8, count8, labels4, count4 } = golden.components;

  for (const [connectivity, labels, count] of [
    [8, labels8, count8],
    [4, labels4, count4],
  ] as const) {
    it(`labels a random 40 x 40 mask like scipy (connectivity ${connectivity})`, () => {
      const cc = connectedComponents(maskBytes(mask), height, width, connectivity);
      expect(cc.count).toBe(count);
      expect(Array.from(cc.labels)).toEqual(labels);
      expect(cc.regions.length).toBe(count);
    });
  }

  for (const [connectivity, key] of [
    [8, 'regions8'],
    [4, 'regions4'],
  ] as const) {
    it(`finds the ground-truth regions of the golden masks (connectivity ${connectivity})`, () => {
      const { height: h, width: w, masks } = golden.pixel;
      masks.forEach((bits, i) => {
        const cc = connectedComponents(maskBytes(bits), h, w, connectivity);
        expect(cc.count).toBe(golden.pixel[key][i]!.count);
        expect(cc.regions).toEqual(golden.pixel[key][i]!.regions);
      });
    });
  }
});

describe('connectedComponents (by hand)', () => {
  it('joins diagonal neighbours with connectivity 8 only', () => {
    const [mask, h, w] = art('#..', '.#.', '..#');
    expect(connectedComponents(mask, h, w).count).toBe(1);
    expect(connectedComponents(mask, h, w, 8).regions).toEqual([
      { label: 1, area: 3, box: { x: 0, y: 0, width: 3, height: 3 } },
    ]);
    const four = connectedComponents(mask, h, w, 4);
    expect(four.count).toBe(3);
    expect(Array.from(four.labels)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 3]);
  });

  it('numbers components in raster order of their first pixel, even when arms merge late', () => {
    // A U open at the top: both arms start on row 0 but are one component; the dot at (3, 1) is second.
    const [mask, h, w] = art('#.#..', '#.#.#', '###..', '.....', '#....');
    const cc = connectedComponents(mask, h, w, 4);
    expect(cc.count).toBe(3);
    expect(Array.from(cc.labels)).toEqual([
      1, 0, 1, 0, 0, 1, 0, 1, 0, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0,
    ]);
    expect(cc.regions.map((r) => r.area)).toEqual([7, 1, 1]);
    expect(cc.regions[0]!.box).toEqual({ x: 0, y: 0, width: 3, height: 3 });
  });

  it('treats every nonzero byte as foreground and returns all zeros for an empty mask', () => {
    expect(connectedComponents(Uint8Array.from([0, 255, 7, 0]), 2, 2).count).toBe(1);
    const empty = connectedComponents(new Uint8Array(12), 3, 4);
    expect(empty.count).toBe(0);
    expect(empty.regions).toEqual([]);
    expect(Array.from(empty.labels)).toEqual(new Array(12).fill(0));
  });

  for (const [h, w] of [
    [224, 224],
    [1130, 460],
  ] as const) {
    it(`handles an all-ones ${h} x ${w} mask without recursion`, () => {
      for (const connectivity of [4, 8] as const) {
        const cc = connectedComponents(new Uint8Array(h * w).fill(1), h, w, connectivity);
        expect(cc.count).toBe(1);
        expect(cc.regions).toEqual([
          { label: 1, area: h * w, box: { x: 0, y: 0, width: w, height: h } },
        ]);
      }
    });
  }

  it('handles a checkerboard: one component with 8-connectivity, one per pixel with 4', () => {
    const [h, w] = [64, 48];
    const mask = Uint8Array.from({ length: h * w }, (_, p) => ((p % w) + Math.floor(p / w)) % 2);
    expect(connectedComponents(mask, h, w, 8).count).toBe(1);
    expect(connectedComponents(mask, h, w, 4).count).toBe((h * w) / 2);
  });

  it('rejects bad input with the fitting PadimError code', () => {
    expectPadimError(
      () => connectedComponents(new Uint8Array(5), 2, 3),
      PadimErrorCode.SHAPE_MISMATCH,
    );
    expectPadimError(
      () => connectedComponents(new Uint8Array(0), 0, 3),
      PadimErrorCode.INVALID_ARGUMENT,
    );
    expectPadimError(
      () => connectedComponents(new Uint8Array(6), 2.5, 3),
      PadimErrorCode.INVALID_ARGUMENT,
    );
    expectPadimError(
      () => connectedComponents(new Uint8Array(6), 2, 3, 6 as Connectivity),
      PadimErrorCode.INVALID_ARGUMENT,
    );
  });

  it('does not mutate its input', () => {
    const [mask, h, w] = art('##.', '.#.', '..#');
    const before = snapshot(mask);
    connectedComponents(mask, h, w);
    connectedComponents(mask, h, w, 4);
    expect(Array.from(mask)).toEqual(before);
  });
});

describe('regionsFromMap', () => {
  const { height, width } = golden.pixel;
  const size = height * width;

  for (const [k, c] of golden.pixel.regionsFromMap.entries()) {
    it(`matches scipy on golden case ${k} (${c.maps} map ${c.image}, map > ${c.threshold})`, () => {
      const map = goldenMaps(c.maps).data.subarray(c.image * size, (c.image + 1) * size);
      const r = regionsFromMap(map, height, width, c.threshold);
      expect(r.count).toBe(c.count);
      expect(r.regions).toEqual(c.regions);
      for (let p = 0; p < size; p++) expect(r.labels[p] !== 0).toBe(map[p]! > c.threshold);
    });
  }

  it('keeps the first peak in raster order and uses a strict threshold', () => {
    // 1 3 0 0
    // 0 3 2 0
    // 0 0 0 3
    // 2 0 0 0
    const map = Float32Array.from([1, 3, 0, 0, 0, 3, 2, 0, 0, 0, 0, 3, 2, 0, 0, 0]);
    const r = regionsFromMap(map, 4, 4, 1);
    expect(r.count).toBe(2);
    expect(r.regions).toEqual([
      {
        label: 1,
        area: 4,
        box: { x: 1, y: 0, width: 3, height: 3 },
        peak: 3,
        peakAt: { x: 1, y: 0 },
      },
      {
        label: 2,
        area: 1,
        box: { x: 0, y: 3, width: 1, height: 1 },
        peak: 2,
        peakAt: { x: 0, y: 3 },
      },
    ]);
    expect(Array.from(r.labels)).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 2, 0, 0, 0]);
    expect(regionsFromMap(map, 4, 4, 3).count).toBe(0);
    expect(regionsFromMap(map, 4, 4, 1, 4).count).toBe(3);
  });

  it('rejects bad input with the fitting PadimError code', () => {
    expectPadimError(
      () => regionsFromMap(new Float32Array(5), 2, 3, 0),
      PadimErrorCode.SHAPE_MISMATCH,
    );
    expectPadimError(
      () => regionsFromMap(Float32Array.from([0, NaN, 0, 0]), 2, 2, 0),
      PadimErrorCode.NON_FINITE,
    );
    expectPadimError(
      () => regionsFromMap(new Float32Array(4), 2, 2, NaN),
      PadimErrorCode.INVALID_ARGUMENT,
    );
    expectPadimError(
      () => regionsFromMap(new Float32Array(4), 2, -2, 0),
      PadimErrorCode.INVALID_ARGUMENT,
    );
  });

  it('does not mutate its input', () => {
    const map = goldenMaps('continuous').data.slice(0, size);
    const before = snapshot(map);
    regionsFromMap(map, height, width, 2);
    expect(Array.from(map)).toEqual(before);
  });
});
