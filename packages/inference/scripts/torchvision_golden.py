#!/usr/bin/python3
"""Golden layer outputs of torchvision's ResNet18 and Wide-ResNet50-2 with seeded random weights.

Checks the TypeScript ONNX backbone builder (src/backbones/resnet.ts) against torchvision itself.
The weights are *random-init* (not ImageNet): this script regenerates, bit for bit, what
`randomResNetWeights(arch, seed)` produces in TypeScript, from the same generator:

  * xoshiro128** seeded through SplitMix32 (a plain transcription of packages/core/src/random.ts),
    u = next_uint32() / 2**32;
  * one stream per (arch, seed), consumed key by key in torchvision's state_dict order (skipping
    num_batches_tracked, layer4.* and fc.*), each tensor element by element in row-major order:
      conv weight      (u * 2 - 1) * sqrt(6 / fan_in)   (Kaiming-uniform, fan_in = in * kh * kw)
      bn.weight        0.5 + u
      bn.bias          0.2 * (u - 0.5)
      bn.running_mean  0.2 * (u - 0.5)
      bn.running_var   0.5 + u
    computed in float64 and rounded to float32 (round to nearest even, as a JS Float32Array does).
    Only +, -, * and sqrt are involved, all correctly rounded in IEEE 754, so both languages get
    identical floats.

Inputs: two seeded batches of shape [2, 3, 64, 64] (already "normalised"), element by element:
  input0: seed 101, (u * 2 - 1) * 2
  input1: seed 102, (u1 + u2 + u3 - 1.5) * 2   (three draws per element, Irwin-Hall shaped)

Outputs (eval mode, float32): layer1, layer2, layer3 for both inputs, plus `check.*` tensors (the
first 4 values of every weight tensor, the first 64 values of each input) so a failing test can tell
a generator mismatch from a graph mismatch. The state_dict key list (name and shape) travels in
the metadata as JSON.

Run once from packages/inference (Debian's python3-torch 1.13, python3-torchvision 0.14, numpy):
    /usr/bin/python3 scripts/torchvision_golden.py
It writes test/fixtures/backbones/{resnet18,wide_resnet50_2}.safetensors (deterministic; the
Wide-ResNet50-2 weights take a minute or two in pure Python).
"""
import json
import math
import os
import struct

import numpy as np
import torch
import torchvision

WEIGHTS_SEED = 7
INPUT_SEEDS = (101, 102)
INPUT_SHAPE = (2, 3, 64, 64)
ARCHS = ("resnet18", "wide_resnet50_2")
M32 = 0xFFFFFFFF
INV_2_32 = 1.0 / 4294967296.0  # exact power of two: x * INV_2_32 == x / 2**32


class Xoshiro128ss:
    """xoshiro128** seeded through SplitMix32, as createRng in packages/core/src/random.ts."""

    def __init__(self, seed):
        s = []
        state = seed & M32
        for _ in range(4):
            state = (state + 0x9E3779B9) & M32
            z = state
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M32
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M32
            s.append((z ^ (z >> 16)) & M32)
        if not any(s):
            s[0] = 1
        self.s = s

    def floats(self, n):
        """n uniform floats in [0, 1): next_uint32() / 2**32 each."""
        s0, s1, s2, s3 = self.s
        out = [0.0] * n
        for i in range(n):
            x = (s1 * 5) & M32
            out[i] = ((((x << 7) | (x >> 25)) & M32) * 9 & M32) * INV_2_32
            t = (s1 << 9) & M32
            s2 ^= s0
            s3 ^= s1
            s1 ^= s2
            s0 ^= s3
            s2 ^= t
            s3 = ((s3 << 11) | (s3 >> 21)) & M32
        self.s = [s0, s1, s2, s3]
        return out


def weight_keys(model):
    """(key, shape) of the weights the truncated backbone needs, in state_dict order."""
    out = []
    for key, tensor in model.state_dict().items():
        if key.endswith("num_batches_tracked") or key.startswith(("layer4.", "fc.")):
            continue
        out.append((key, tuple(tensor.shape)))
    return out


def random_weights(keys, seed):
    rng = Xoshiro128ss(seed)
    weights = {}
    for key, shape in keys:
        n = int(np.prod(shape))
        u = rng.floats(n)
        if len(shape) == 4:
            bound = math.sqrt(6.0 / (shape[1] * shape[2] * shape[3]))
            values = [(x * 2.0 - 1.0) * bound for x in u]
        elif key.endswith(".weight") or key.endswith(".running_var"):
            values = [0.5 + x for x in u]
        elif key.endswith(".bias") or key.endswith(".running_mean"):
            values = [0.2 * (x - 0.5) for x in u]
        else:
            raise ValueError(f"unexpected key {key}")
        weights[key] = np.array(values, dtype=np.float64).astype(np.float32).reshape(shape)
    return weights


def seeded_input(index):
    n = int(np.prod(INPUT_SHAPE))
    rng = Xoshiro128ss(INPUT_SEEDS[index])
    if index == 0:
        values = [(x * 2.0 - 1.0) * 2.0 for x in rng.floats(n)]
    else:
        u = rng.floats(3 * n)
        values = [(u[3 * i] + u[3 * i + 1] + u[3 * i + 2] - 1.5) * 2.0 for i in range(n)]
    return np.array(values, dtype=np.float64).astype(np.float32).reshape(INPUT_SHAPE)


def write_safetensors(path, tensors, metadata):
    """Minimal safetensors writer (F32 only), tensors laid out in the given order."""
    header = {"__metadata__": metadata}
    chunks, offset = [], 0
    for name, array in tensors:
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {
            "dtype": "F32",
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)


def main():
    torch.manual_seed(0)  # the unused layer4/fc keep torchvision's init; fixed for tidiness only
    torch.use_deterministic_algorithms(True)
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "backbones")
    os.makedirs(out_dir, exist_ok=True)
    inputs = [seeded_input(i) for i in range(len(INPUT_SEEDS))]
    for arch in ARCHS:
        model = getattr(torchvision.models, arch)(weights=None)
        keys = weight_keys(model)
        weights = random_weights(keys, WEIGHTS_SEED)
        missing, unexpected = model.load_state_dict(
            {k: torch.from_numpy(v) for k, v in weights.items()}, strict=False
        )
        assert not unexpected, unexpected
        assert all(k.startswith(("layer4.", "fc.")) or k.endswith("num_batches_tracked") for k in missing)
        model.eval()
        tensors = []
        with torch.no_grad():
            for i, array in enumerate(inputs):
                x = torch.from_numpy(array)
                x = model.maxpool(model.relu(model.bn1(model.conv1(x))))
                for name in ("layer1", "layer2", "layer3"):
                    x = getattr(model, name)(x)
                    tensors.append((f"input{i}.{name}", x.numpy().copy()))
        heads = np.concatenate([weights[k].ravel()[:4] for k, _ in keys])
        tensors.append(("check.weights_head4", heads))
        for i, array in enumerate(inputs):
            tensors.append((f"check.input{i}_head64", array.ravel()[:64]))
        metadata = {
            "arch": arch,
            "weights": "random-init (not ImageNet: for tests and demos only)",
            "weights_seed": str(WEIGHTS_SEED),
            "input_seeds": json.dumps(list(INPUT_SEEDS)),
            "input_shape": json.dumps(list(INPUT_SHAPE)),
            "keys": json.dumps([[k, list(s)] for k, s in keys]),
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "script": "packages/inference/scripts/torchvision_golden.py",
        }
        path = os.path.join(out_dir, f"{arch}.safetensors")
        write_safetensors(path, tensors, metadata)
        print("wrote", os.path.normpath(path), os.path.getsize(path), "bytes,", len(keys), "weight tensors")


if __name__ == "__main__":
    main()
