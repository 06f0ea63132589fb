#!/usr/bin/python3
"""Reads a PaDiM model file (safetensors) with numpy alone and scores embeddings with it.

Proves the statistics are usable outside this project: safetensors is an 8-byte little-endian
header length, a JSON header and raw little-endian tensors.
Usage: /usr/bin/python3 read_model_numpy.py MODEL.safetensors EMBEDDING.f32 B
  EMBEDDING.f32 holds float32 [B, d, H, W]; prints the JSON list of Mahalanobis distances [B*H*W].
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}


def load(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        arr = np.frombuffer(raw[8 + n + b : 8 + n + end], dtype=DTYPES[e["dtype"]])
        tensors[name] = arr.reshape(e["shape"])
    return meta, tensors


meta, t = load(sys.argv[1])
d, h, w = int(meta["dims"]), int(meta["grid_height"]), int(meta["grid_width"])
batch = int(sys.argv[3])
emb = np.fromfile(sys.argv[2], dtype="<f4").reshape(batch, d, h * w).astype(np.float64)
mean = t["mean"].astype(np.float64)
if "precision_factor" in t:
    L = t["precision_factor"].astype(np.float64)
else:  # packed upper triangle, row by row
    L = np.zeros((h * w, d, d))
    iu = np.triu_indices(d)
    L[:, iu[0], iu[1]] = t["precision_factor_packed"].astype(np.float64)
out = []
for b in range(batch):
    for p in range(h * w):
        diff = emb[b, :, p] - mean[p]
        precision = L[p] @ L[p].T  # Sigma^-1 = L L^T
        out.append(float(np.sqrt(diff @ precision @ diff)))
print(json.dumps(out))
