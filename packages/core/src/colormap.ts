/**
 * Colour scales for anomaly heatmaps, shared by the worker (which draws the PNGs) and the dashboard
 * (which draws their legends), so a legend always matches its heatmap.
 */
/**
 * Turbo (Mikhailov 2019, Google, Apache-2.0): every 8th entry of its 256-entry sRGB table (and the
 * last), as 8-bit; linear interpolation between them is within 2.1/255 of the full table.
 */
export const TURBO_KEYS: readonly (readonly [number, number, number])[] = [
  [48, 18, 59],
  [57, 42, 115],
  [64, 64, 162],
  [68, 86, 199],
  [70, 107, 227],
  [70, 128, 246],
  [66, 148, 255],
  [55, 168, 250],
  [40, 188, 235],
  [28, 205, 216],
  [24, 221, 194],
  [31, 233, 175],
  [50, 242, 152],
  [78, 249, 125],
  [109, 254, 98],
  [139, 255, 75],
  [164, 252, 60],
  [185, 246, 53],
  [205, 236, 52],
  [223, 223, 55],
  [238, 207, 58],
  [248, 190, 57],
  [253, 172, 52],
  [254, 150, 43],
  [251, 126, 33],
  [244, 102, 23],
  [235, 80, 14],
  [223, 63, 8],
  [208, 47, 5],
  [190, 33, 2],
  [169, 22, 1],
  [146, 11, 1],
  [122, 4, 3],
];
