"""Golden values for packages/core/src/anomaly-map.ts (resize, Gaussian blur, anomaly maps).

Run from the repository root with Debian's Python (numpy, scipy and python3-torch installed by apt):

    /usr/bin/python3 packages/core/scripts/anomaly_map_golden.py

It writes packages/core/test/fixtures/anomaly-map-golden.json. References:
  * resize: torch.nn.functional.interpolate(x[:, None], size, mode, align_corners=False) on float32
  * blur:   scipy.ndimage.gaussian_filter(map, sigma, truncate) on each float32 map (mode 'reflect')
  * anomaly maps: resize, then blur (PaDiM's order); image score = max of each map.

Inputs are seeded and dyadic (k / 256), so they are exact in float32 and short in JSON. Outputs are
written as the shortest decimal that round-trips to the same float32.
"""

import json
import os

import numpy as np
import scipy
import scipy.ndimage
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "anomaly-map-golden.json")


def maps_input(rng, b, h, w):
    """Smooth-ish positive maps plus noise, dyadic values in [0, 16)."""
    y, x = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    out = np.empty((b, h, w), dtype=np.float32)
    for i in range(b):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        bump = 8 * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * (0.2 * max(h, w)) ** 2))
        noise = rng.integers(0, 4 * 256, size=(h, w)) / 256
        out[i] = np.floor((bump + noise) * 256) / 256
    return out


def f32_list(a):
    return [float(np.format_float_positional(np.float32(v), unique=True)) for v in np.asarray(a, np.float32).ravel()]


def resize(x, h, w, mode):
    t = torch.from_numpy(x)[:, None]
    return F.interpolate(t, size=(h, w), mode=mode, align_corners=False)[:, 0].numpy()


def blur(x, sigma, truncate):
    return np.stack([scipy.ndimage.gaussian_filter(m, sigma, truncate=truncate) for m in x]).astype(np.float32)


def subset(a, step):
    """Every `step`-th pixel in both directions of each map, plus per-map sums (float64) and maxima."""
    return {
        "step": step,
        "values": f32_list(a[:, ::step, ::step]),
        "sums": [float(m.astype(np.float64).sum()) for m in a],
        "maxima": f32_list(a.reshape(a.shape[0], -1).max(axis=1)),
    }


def main():
    rng = np.random.default_rng(20201117)
    doc = {
        "generator": "packages/core/scripts/anomaly_map_golden.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "torch": torch.__version__},
        "resize": [],
        "blur": [],
        "anomalyMaps": [],
    }

    # Resize: up, down, mixed, identity, to 1x1; both modes. Full outputs (small).
    resize_cases = [
        ((2, 7, 9), (13, 17)),
        ((1, 14, 14), (56, 56)),
        ((2, 9, 11), (4, 5)),
        ((1, 7, 9), (12, 4)),
        ((1, 5, 6), (5, 6)),
        ((1, 5, 3), (1, 1)),
        ((1, 1, 4), (3, 9)),
    ]
    for (b, h, w), (oh, ow) in resize_cases:
        x = maps_input(rng, b, h, w)
        for mode in ("bilinear", "bicubic"):
            doc["resize"].append({
                "shape": [b, h, w], "height": oh, "width": ow, "mode": mode,
                "input": f32_list(x), "output": f32_list(resize(x, oh, ow, mode)),
            })

    # Blur: tiny maps (reflect repeatedly), non-integer sigma, a truncate giving a short kernel.
    blur_cases = [
        ((1, 3, 5), 4.0, 4.0),
        ((2, 7, 9), 4.0, 4.0),
        ((1, 1, 6), 4.0, 4.0),
        ((1, 7, 9), 1.5, 2.0),
        ((1, 20, 17), 2.3, 4.0),
        ((1, 40, 40), 4.0, 4.0),
    ]
    for (b, h, w), sigma, truncate in blur_cases:
        x = maps_input(rng, b, h, w)
        doc["blur"].append({
            "shape": [b, h, w], "sigma": sigma, "truncate": truncate,
            "input": f32_list(x), "output": f32_list(blur(x, sigma, truncate)),
        })

    # Full PaDiM stage 56x56 -> 224x224 (sigma 4): subset of every 7th pixel, sums and maxima.
    x = maps_input(rng, 2, 56, 56)
    for mode in ("bicubic", "bilinear"):
        out = blur(resize(x, 224, 224, mode), 4.0, 4.0)
        entry = {"shape": [2, 56, 56], "height": 224, "width": 224, "mode": mode, "sigma": 4.0}
        if mode == "bicubic":
            entry["input"] = f32_list(x)
        else:
            entry["inputFrom"] = "bicubic"
        entry.update(subset(out, 7))
        doc["anomalyMaps"].append(entry)

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
