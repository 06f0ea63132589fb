#!/usr/bin/python3
"""Golden values for packages/core/src/metrics (AUROC, ROC, F1 threshold, PRO/AUPRO, connected components).

How to run (from the repository root, with Debian's Python: numpy, scipy and scikit-learn installed):

    /usr/bin/python3 packages/core/scripts/metrics_golden.py

It (re)writes packages/core/test/fixtures/metrics-golden.json. The inputs come from a seeded numpy RNG, so
re-running it with the same library versions reproduces the file byte for byte. The TypeScript tests in
packages/core/test/metrics/ load that file.

Where the expected values come from:
  * image-level AUROC, ROC curve, F1-optimal threshold: sklearn.metrics.roc_auc_score, roc_curve
    (drop_intermediate=False) and precision_recall_curve; the F1 rule is the one of the PaDiM reference
    implementation (f1 = 2PR / (P + R), 0 where P + R = 0, threshold = thresholds[argmax(f1)]);
  * pixel AUROC: roc_auc_score over all pixels of all images;
  * connected components: scipy.ndimage.label (structure ones((3, 3)) for 8-connectivity, the default cross
    for 4-connectivity) and scipy.ndimage.find_objects;
  * PRO curve / AUPRO: an independent transcription (below) of compute_pro() from pro_curve_util.py and
    trapezoid() from generic_util.py of the MVTec AD evaluation scripts. The reference casts the cumulative
    false-positive counts to float32 before dividing; the file holds both that faithful curve ("reference")
    and the same computation in float64 ("float64"), which is what the TypeScript port computes.

roc_curve's first threshold is version dependent (scikit-learn < 1.3: thresholds[1] + 1, >= 1.3: inf), so the
file stores the thresholds without it; the TypeScript rocCurve uses +Infinity like current scikit-learn.
"""

from bisect import bisect
import json
import os

import numpy as np
import scipy
import scipy.ndimage as ndi
import sklearn
from sklearn.metrics import precision_recall_curve, roc_auc_score, roc_curve

SEED = 20240611
HEIGHT, WIDTH = 24, 32
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'metrics-golden.json')

EIGHT = np.ones((3, 3), dtype=int)
FOUR = ndi.generate_binary_structure(2, 1)


# --------------------------------------------------------------------------------------------------------
# Transcription of the MVTec AD evaluation code (pro_curve_util.compute_pro, generic_util.trapezoid).
# fpr_dtype=np.float32 is the reference as published; np.float64 is the same computation without the cast.
# --------------------------------------------------------------------------------------------------------
def compute_pro(anomaly_maps, ground_truth_maps, fpr_dtype=np.float32):
    structure = np.ones((3, 3), dtype=int)
    num_ok_pixels = 0
    num_gt_regions = 0
    shape = (len(anomaly_maps), anomaly_maps[0].shape[0], anomaly_maps[0].shape[1])
    fp_changes = np.zeros(shape, dtype=np.uint32)
    pro_changes = np.zeros(shape, dtype=np.float64)
    for gt_ind, gt_map in enumerate(ground_truth_maps):
        labeled, n_components = ndi.label(gt_map, structure)
        num_gt_regions += n_components
        ok_mask = labeled == 0
        num_ok_pixels += np.sum(ok_mask)
        fp_change = np.zeros_like(gt_map, dtype=fp_changes.dtype)
        fp_change[ok_mask] = 1
        pro_change = np.zeros_like(gt_map, dtype=np.float64)
        for k in range(n_components):
            region_mask = labeled == (k + 1)
            pro_change[region_mask] = 1.0 / np.sum(region_mask)
        fp_changes[gt_ind] = fp_change
        pro_changes[gt_ind] = pro_change

    scores = np.array(anomaly_maps).ravel()
    order = np.argsort(scores).astype(np.uint32)[::-1]
    scores_sorted = scores[order]
    fprs = np.cumsum(fp_changes.ravel()[order]).astype(fpr_dtype)
    fprs = np.divide(fprs, num_ok_pixels).astype(fpr_dtype)
    pros = np.cumsum(pro_changes.ravel()[order]) / num_gt_regions
    keep = np.append(np.diff(scores_sorted) != 0, np.True_)
    fprs = np.clip(fprs[keep], None, 1.0)
    pros = np.clip(pros[keep], None, 1.0)
    zero, one = np.array([0.0]), np.array([1.0])
    return np.concatenate((zero, fprs, one)), np.concatenate((zero, pros, one))


def trapezoid(x, y, x_max=None):
    x = np.array(x)
    y = np.array(y)
    finite = np.logical_and(np.isfinite(x), np.isfinite(y))
    x, y = x[finite], y[finite]
    correction = 0.0
    if x_max is not None:
        if x_max not in x:
            ins = bisect(x, x_max)
            assert 0 < ins < len(x)
            y_interp = y[ins - 1] + ((y[ins] - y[ins - 1]) * (x_max - x[ins - 1]) / (x[ins] - x[ins - 1]))
            correction = 0.5 * (y_interp + y[ins - 1]) * (x_max - x[ins - 1])
        keep = x <= x_max
        x, y = x[keep], y[keep]
    return float(np.sum(0.5 * (y[1:] + y[:-1]) * (x[1:] - x[:-1])) + correction)


def aupro(fprs, pros, limit):
    return trapezoid(fprs, pros, x_max=limit) / limit


# --------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------
def f1_optimal(labels, scores):
    """PaDiM reference rule on top of sklearn's precision_recall_curve."""
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    a = 2 * precision * recall
    b = precision + recall
    f1 = np.divide(a, b, out=np.zeros_like(a), where=b != 0)
    i = int(np.argmax(f1[:-1]))
    return {
        'threshold': float(thresholds[i]),
        'f1': float(f1[i]),
        'precision': float(precision[i]),
        'recall': float(recall[i]),
    }


def regions_of(labeled, count):
    areas = np.bincount(labeled.ravel(), minlength=count + 1)
    out = []
    for k, sl in enumerate(ndi.find_objects(labeled), start=1):
        ys, xs = sl
        out.append({
            'label': k,
            'area': int(areas[k]),
            'box': {'x': xs.start, 'y': ys.start, 'width': xs.stop - xs.start, 'height': ys.stop - ys.start},
        })
    return out


def raster_order_labels(mask, connectivity):
    """Independent check of scipy's numbering: flood fill started at each unlabeled pixel in raster order."""
    h, w = mask.shape
    out = np.zeros((h, w), dtype=np.int64)
    if connectivity == 8:
        steps = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]
    else:
        steps = [(-1, 0), (1, 0), (0, -1), (0, 1)]
    n = 0
    for y in range(h):
        for x in range(w):
            if mask[y, x] and out[y, x] == 0:
                n += 1
                out[y, x] = n
                stack = [(y, x)]
                while stack:
                    cy, cx = stack.pop()
                    for dy, dx in steps:
                        ny, nx = cy + dy, cx + dx
                        if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and out[ny, nx] == 0:
                            out[ny, nx] = n
                            stack.append((ny, nx))
    return out, n


def label_checked(mask, connectivity):
    labeled, n = ndi.label(mask, EIGHT if connectivity == 8 else FOUR)
    mine, m = raster_order_labels(mask, connectivity)
    assert n == m and np.array_equal(labeled, mine), 'scipy.ndimage.label is not in raster order of first pixel'
    return labeled, n


def bits(mask):
    return ''.join('1' if v else '0' for v in mask.ravel())


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


# --------------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------------
def image_cases(rng):
    cases = [{'name': 'sklearn-doc', 'scores': [0.1, 0.4, 0.35, 0.8], 'labels': [0, 0, 1, 1]}]

    labels = (rng.random(40) < 0.4).astype(int)
    labels[:2] = [0, 1]
    scores = np.round(rng.normal(size=40) + 0.9 * labels, 6)
    scores[7] = scores[5]  # ties inside one class or across classes, whatever the labels are
    scores[11] = scores[12] = scores[10]
    scores[0] = scores[1]  # a tie across classes for sure
    cases.append({'name': 'continuous-with-ties', 'scores': floats(scores), 'labels': labels.tolist()})

    labels = (rng.random(60) < 0.5).astype(int)
    labels[:2] = [0, 1]
    scores = (rng.integers(0, 5, size=60) + 2 * labels) / 4.0  # 7 levels: ties everywhere
    cases.append({'name': 'quantised', 'scores': floats(scores), 'labels': labels.tolist()})

    labels = (rng.random(25) < 0.3).astype(int)
    labels[:2] = [0, 1]
    scores = np.round(rng.normal(size=25) - 0.5 * labels, 6)  # worse than chance
    cases.append({'name': 'inverted', 'scores': floats(scores), 'labels': labels.tolist()})

    for case in cases:
        y = np.array(case['labels'])
        s = np.array(case['scores'], dtype=np.float64)
        fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
        case['auroc'] = float(roc_auc_score(y, s))
        case['roc'] = {'fpr': floats(fpr), 'tpr': floats(tpr), 'thresholdsAfterFirst': floats(thr[1:])}
        case['f1'] = f1_optimal(y, s)
    return cases


def make_masks(rng):
    masks = np.zeros((5, HEIGHT, WIDTH), dtype=np.uint8)
    # 0: a normal image (no defect).
    # 1: a rectangle, a diagonal chain (one region with 8-connectivity, three with 4), a single pixel.
    masks[1, 3:7, 5:11] = 1
    for k in range(3):
        masks[1, 10 + k, 20 + k] = 1
    masks[1, 20, 2] = 1
    # 2: two blocks touching at a corner only, and a U open at the top (its arms merge late in raster order).
    masks[2, 5:9, 5:9] = 1
    masks[2, 9:12, 9:13] = 1
    masks[2, 14:21, 18:20] = 1
    masks[2, 14:21, 24:26] = 1
    masks[2, 20, 18:26] = 1
    # 3: irregular blobs from a smoothed random field.
    field = ndi.gaussian_filter(rng.normal(size=(HEIGHT, WIDTH)), 2.0)
    masks[3] = field > np.quantile(field, 0.85)
    # 4: a region on the image border, a corner pixel, and a thin diagonal line through the middle.
    masks[4, 0:5, 0:9] = 1
    masks[4, HEIGHT - 1, WIDTH - 1] = 1
    for k in range(10):
        masks[4, 8 + k, 12 + k] = 1
    return masks


def make_maps(rng, masks):
    noise = np.stack([ndi.gaussian_filter(rng.normal(size=(HEIGHT, WIDTH)), 1.0) for _ in masks]) * 1.5
    soft = np.stack([ndi.gaussian_filter(m.astype(np.float64), 1.0) for m in masks])
    raw = 1.5 + noise + 2.0 * soft + 0.3 * rng.normal(size=masks.shape)
    continuous = np.round(raw, 4)  # 4 decimals: compact JSON, a few accidental ties
    levels = np.clip(np.round(raw * 2.0), 0, 15).astype(int)  # quantised: ties everywhere
    return continuous, levels


def pixel_results(maps32, masks, rng_limit_pick):
    labels = (masks.ravel() != 0).astype(int)
    scores = maps32.ravel()
    ref_fpr, ref_pro = compute_pro(list(maps32), list(masks), np.float32)
    fpr, pro = compute_pro(list(maps32), list(masks), np.float64)
    assert len(fpr) == len(ref_fpr) and np.max(np.abs(fpr - ref_fpr)) < 1e-6 and np.max(np.abs(pro - ref_pro)) < 1e-12
    # A limit that is exactly one of the float64 FPR values (trapezoid's "x_max in x" branch).
    inner = np.flatnonzero((fpr > 0.05) & (fpr < 0.5))
    exact = float(fpr[inner[rng_limit_pick % len(inner)]])
    limits = [0.3, 0.1, 0.05, 1.0, exact]
    return {
        'pixelAuroc': float(roc_auc_score(labels, scores)),
        'f1': f1_optimal(labels, scores),
        'aupro': [
            {'limit': lim, 'float64': aupro(fpr, pro, lim), 'reference': aupro(ref_fpr, ref_pro, lim)}
            for lim in limits
        ],
        'curve': {'length': len(fpr), 'fpr': floats(fpr), 'pro': floats(pro), 'referenceFpr': floats(ref_fpr)},
    }


def sample_curve(curve, count):
    idx = sorted(set(np.linspace(0, curve['length'] - 1, count).astype(int).tolist()))
    return {
        'length': curve['length'],
        'indices': idx,
        'fpr': [curve['fpr'][i] for i in idx],
        'pro': [curve['pro'][i] for i in idx],
        'referenceFpr': [curve['referenceFpr'][i] for i in idx],
    }


def regions_from_map(map2d, threshold):
    labeled, n = label_checked(map2d > threshold, 8)
    regions = regions_of(labeled, n)
    flat_labels = labeled.ravel()
    flat_map = map2d.ravel()
    for r in regions:
        idx = np.flatnonzero(flat_labels == r['label'])
        j = int(idx[np.argmax(flat_map[idx])])  # first maximum in raster order
        r['peak'] = float(flat_map[j])
        r['peakAt'] = {'x': j % map2d.shape[1], 'y': j // map2d.shape[1]}
    return {'threshold': float(threshold), 'count': n, 'regions': regions}


def main():
    rng = np.random.default_rng(SEED)
    images = image_cases(rng)

    masks = make_masks(rng)
    continuous, levels = make_maps(rng, masks)
    cont32 = continuous.astype(np.float32)
    quant32 = (levels * 0.25).astype(np.float32)

    regions8, regions4 = [], []
    for m in masks:
        lab8, n8 = label_checked(m, 8)
        lab4, n4 = label_checked(m, 4)
        regions8.append({'count': n8, 'regions': regions_of(lab8, n8)})
        regions4.append({'count': n4, 'regions': regions_of(lab4, n4)})
    assert regions8[0]['count'] == 0 and all(r['count'] >= 1 for r in regions8[1:])

    cont = pixel_results(cont32, masks, 3)
    cont['curve'] = sample_curve(cont['curve'], 40)
    quant = pixel_results(quant32, masks, 1)

    cc_mask = rng.random((40, 40)) < 0.45
    lab8, n8 = label_checked(cc_mask, 8)
    lab4, n4 = label_checked(cc_mask, 4)

    golden = {
        'generator': 'packages/core/scripts/metrics_golden.py',
        'versions': {'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__},
        'image': images,
        'pixel': {
            'count': int(masks.shape[0]),
            'height': HEIGHT,
            'width': WIDTH,
            'masks': [bits(m) for m in masks],
            'continuousMaps': [floats(m) for m in continuous],
            'quantisedStep': 0.25,
            'quantisedLevels': [lv.ravel().tolist() for lv in levels],
            'regions8': regions8,
            'regions4': regions4,
            'continuous': cont,
            'quantised': quant,
            'regionsFromMap': [
                {'maps': 'continuous', 'image': 3, **regions_from_map(cont32[3], 3.0)},
                # A threshold equal to a quantisation level: pixels equal to it are not part of any region.
                {'maps': 'quantised', 'image': 2, **regions_from_map(quant32[2], float(np.quantile(quant32[2], 0.9)))},
                {'maps': 'continuous', 'image': 0, **regions_from_map(cont32[0], 2.0)},
            ],
        },
        'components': {
            'height': 40,
            'width': 40,
            'mask': bits(cc_mask),
            'count8': n8,
            'labels8': lab8.ravel().tolist(),
            'count4': n4,
            'labels4': lab4.ravel().tolist(),
        },
    }
    with open(OUT, 'w') as f:
        json.dump(golden, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)')


if __name__ == '__main__':
    main()
