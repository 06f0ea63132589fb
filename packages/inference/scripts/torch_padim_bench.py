#!/usr/bin/python3
"""An anomalib-style PaDiM in PyTorch, timed on this machine, for the inference benchmark.

Mirrors anomalib's padim torch_model: torchvision ResNet18 features (layer1..3) with a hook-free
truncated forward, nearest upsampling + concat, random channel gather (Rd100), Mahalanobis distance
as (delta @ inv_cov * delta).sum, sqrt; anomaly map: bilinear upsample (align_corners=False) to the
input and a 33-tap Gaussian blur (sigma 4); score = max. Random weights (only speed is measured).

Usage: /usr/bin/python3 torch_padim_bench.py [--batch 8] [--iters 5] [--threads 2]
Prints JSON: images per second for the bare truncated backbone and for the full PaDiM pipeline.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F
import torchvision

parser = argparse.ArgumentParser()
parser.add_argument("--batch", type=int, default=8)
parser.add_argument("--iters", type=int, default=5)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--d", type=int, default=100)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)

net = torchvision.models.resnet18().eval()


def features(x):
    x = net.maxpool(net.relu(net.bn1(net.conv1(x))))
    l1 = net.layer1(x)
    l2 = net.layer2(l1)
    l3 = net.layer3(l2)
    return [l1, l2, l3]


P, D = 56 * 56, args.d
idx = torch.randperm(448)[:D]
mean = torch.randn(D, P)
inv_cov = torch.eye(D).unsqueeze(0).repeat(P, 1, 1) + 0.01 * torch.randn(P, D, D)
sigma = 4.0
taps = torch.arange(33, dtype=torch.float32) - 16
kernel = torch.exp(-0.5 * (taps / sigma) ** 2)
kernel = kernel / kernel.sum()


def padim(x):
    f = features(x)
    emb = f[0]
    for layer in f[1:]:
        emb = torch.cat([emb, F.interpolate(layer, size=emb.shape[-2:], mode="nearest")], 1)
    emb = torch.index_select(emb, 1, idx)
    b, c, h, w = emb.shape
    delta = (emb.reshape(b, c, h * w) - mean).permute(2, 0, 1)
    dist = (torch.matmul(delta, inv_cov) * delta).sum(2).permute(1, 0).reshape(b, 1, h, w).clamp(0).sqrt()
    amap = F.interpolate(dist, size=(224, 224), mode="bilinear", align_corners=False)
    amap = F.pad(amap, (16, 16, 16, 16), mode="reflect")
    amap = F.conv2d(amap, kernel.view(1, 1, 1, 33))
    amap = F.conv2d(amap, kernel.view(1, 1, 33, 1))
    return amap, amap.amax(dim=(1, 2, 3))


def rate(fn):
    x = torch.randn(args.batch, 3, 224, 224)
    with torch.inference_mode():
        fn(x)
        start = time.perf_counter()
        for _ in range(args.iters):
            fn(x)
        elapsed = time.perf_counter() - start
    return args.batch * args.iters / elapsed


print(json.dumps({
    "torch": torch.__version__,
    "threads": args.threads,
    "batch": args.batch,
    "backbone_images_per_s": rate(features),
    "padim_images_per_s": rate(padim),
}))
