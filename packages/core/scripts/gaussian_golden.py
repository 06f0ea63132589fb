#!/usr/bin/python3
"""Golden values for the Gaussian fit, Mahalanobis maps, PCA and patch embedding of @padim/core.

Independent references: numpy.cov (ddof=1), numpy.linalg.inv + explicit quadratic form,
scipy.spatial.distance.mahalanobis, sklearn.decomposition.PCA, torch.nn.functional.interpolate
(mode='nearest') + torch.cat, and a plain-Python xoshiro128** for the seeded channel selection.

Run once from packages/core (Debian's python3-numpy, -scipy, -sklearn, -torch):
    /usr/bin/python3 scripts/gaussian_golden.py
It writes test/fixtures/gaussian-golden.json.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from scipy.spatial.distance import mahalanobis
from sklearn.decomposition import PCA

rng = np.random.default_rng(20201117)
out = {}

# --- Per-position Gaussian: B images, d dims, H x W grid, embeddings [B, d, H, W] -----------------
B, D, H, W = 9, 5, 3, 4
EPS = 0.01
# A mean far from zero exercises cancellation; correlated dims exercise the off-diagonals.
mix = rng.normal(size=(D, D))
train = rng.normal(size=(B, H * W, D)) @ mix + 50.0
train = train.astype(np.float32)
emb = train.reshape(B, H, W, D).transpose(0, 3, 1, 2)  # [B, d, H, W]
means, covs = [], []
for p in range(H * W):
    xs = train[:, p, :].astype(np.float64)
    means.append(xs.mean(axis=0))
    covs.append(np.cov(xs, rowvar=False, ddof=1) + EPS * np.eye(D))
test = (rng.normal(size=(3, H * W, D)) @ mix + 50.0).astype(np.float32)
test_emb = test.reshape(3, H, W, D).transpose(0, 3, 1, 2)
dist = np.zeros((3, H * W))
dist_scipy = np.zeros((3, H * W))
for b in range(3):
    for p in range(H * W):
        diff = test[b, p].astype(np.float64) - means[p]
        inv = np.linalg.inv(covs[p])
        dist[b, p] = np.sqrt(diff @ inv @ diff)
        dist_scipy[b, p] = mahalanobis(test[b, p].astype(np.float64), means[p], inv)
assert np.allclose(dist, dist_scipy)
out["gaussian"] = {
    "shape": [B, D, H, W],
    "eps": EPS,
    "train": emb.ravel().tolist(),
    "mean": np.array(means).ravel().tolist(),
    "cov": np.array(covs).ravel().tolist(),
    "test_shape": [3, D, H, W],
    "test": test_emb.ravel().tolist(),
    "distances": dist.ravel().tolist(),
}

# --- PCA on pooled embeddings (the paper's ablation) ---------------------------------------------
C, Bp, Hp, Wp, K = 6, 4, 3, 3, 3
pool = (rng.normal(size=(Bp * Hp * Wp, C)) @ rng.normal(size=(C, C))).astype(np.float32)
pca = PCA(n_components=K, svd_solver="full").fit(pool.astype(np.float64))
pca_emb = pool.reshape(Bp, Hp, Wp, C).transpose(0, 3, 1, 2)
out["pca"] = {
    "shape": [Bp, C, Hp, Wp],
    "data": pca_emb.ravel().tolist(),
    "d": K,
    "mean": pca.mean_.tolist(),
    "components": pca.components_.ravel().tolist(),  # up to sign
    "explained_variance": pca.explained_variance_.tolist(),
    "projected_abs": np.abs(pca.transform(pool.astype(np.float64))).ravel().tolist(),  # [N, K]
}

# --- Patch embedding: nearest upsampling to the first grid, concat in level order ----------------
levels = [
    torch.from_numpy(rng.normal(size=(2, 2, 8, 6)).astype(np.float32)),
    torch.from_numpy(rng.normal(size=(2, 3, 4, 3)).astype(np.float32)),
    torch.from_numpy(rng.normal(size=(2, 2, 3, 2)).astype(np.float32)),  # non-integer ratio
]
up = [levels[0]] + [F.interpolate(t, size=(8, 6), mode="nearest") for t in levels[1:]]
cat = torch.cat(up, dim=1)
idx = [6, 0, 3]
out["embedding"] = {
    "levels": [{"shape": list(t.shape), "data": t.numpy().ravel().tolist()} for t in levels],
    "concat_shape": list(cat.shape),
    "concat": cat.numpy().ravel().tolist(),
    "indices": idx,
    "selected": cat[:, idx].numpy().ravel().tolist(),
}

# --- xoshiro128** seeded through SplitMix32 (a plain transcription of the published algorithms) --
M32 = 0xFFFFFFFF


def splitmix32(state):
    state = (state + 0x9E3779B9) & M32
    z = state
    z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M32
    z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M32
    return state, (z ^ (z >> 16)) & M32


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


def xoshiro(seed):
    s, st = [], seed
    for _ in range(4):
        st, o = splitmix32(st)
        s.append(o)
    while True:
        result = (rotl((s[1] * 5) & M32, 7) * 9) & M32
        t = (s[1] << 9) & M32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        yield result


gen = xoshiro(42)
out["rng"] = {"seed": 42, "first": [next(gen) for _ in range(8)]}


def rand_indices(total, d, seed):
    g = xoshiro(seed)
    perm = list(range(total))
    for i in range(d):
        n = total - i
        threshold = (2**32 - n) % n
        while True:
            x = next(g)
            if (x * n) & M32 >= threshold:
                j = i + ((x * n) >> 32)
                break
        perm[i], perm[j] = perm[j], perm[i]
    return sorted(perm[:d])


out["rd"] = {"total": 448, "d": 100, "seed": 7, "indices": rand_indices(448, 100, 7)}

path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "gaussian-golden.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path))
