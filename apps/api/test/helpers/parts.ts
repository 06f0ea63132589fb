import { encodePng, synthImage, type DefectKind } from '@padim/inference';

/** A procedural part (textured, optionally with a defect) as PNG bytes. */
export async function partPng(
  seed: number,
  size: number,
  defect?: DefectKind,
): Promise<Uint8Array> {
  const img = synthImage(size, seed, defect);
  return encodePng(img.rgb, img.width, img.height);
}

/** Polls `probe` every 100 ms until it answers something; throws after `ms`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  ms: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
