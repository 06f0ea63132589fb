/**
 * The heatmap's colour scale for legends: Turbo, from the same keys the worker colours heatmaps
 * with (@padim/core's colormap), so the legend matches the PNG.
 */
import { TURBO_KEYS } from '@padim/core/colormap';

/** Key k sits at table entry 8k (the last at 255), as in the worker's lookup table. */
export const TURBO_GRADIENT = `linear-gradient(to right, ${TURBO_KEYS.map(([r, g, b], k) => {
  const at = k === TURBO_KEYS.length - 1 ? 100 : ((8 * k) / 255) * 100;
  return `rgb(${r} ${g} ${b}) ${at.toFixed(2)}%`;
}).join(', ')})`;
