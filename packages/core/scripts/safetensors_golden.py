#!/usr/bin/python3
"""Golden files and interop check for the safetensors codec and float16 conversions of @padim/core.

The `safetensors` Python package is not available here, so this script reads and writes the format
with numpy only: struct for the 8-byte little-endian header length, json for the header, and
np.frombuffer / ndarray.tobytes with explicit little-endian dtypes ('<f4', ...) for the data.
float16 references come from numpy's astype(np.float16) (round to nearest even).

Usage (Debian's python3-numpy):
    /usr/bin/python3 scripts/safetensors_golden.py write [OUT_DIR]
        Writes OUT_DIR/safetensors-reference.safetensors and OUT_DIR/safetensors-reference.json
        (default OUT_DIR: test/fixtures next to this script). The TS decoder must read the file and
        find the values of the JSON; the TS encoder must reproduce the file byte for byte.
    /usr/bin/python3 scripts/safetensors_golden.py verify FILE EXPECTED.json
        Checks a file written by another encoder (the TS one): structure, alignment, exact layout of
        the reference writer, values against EXPECTED.json, and float16 pairs against numpy.
        Exits 0 and prints OK, or exits 1 listing every failure.

EXPECTED.json schema (both modes):
    {"metadata": {str: str},
     "tensors": {name: {"dtype": "F32", "shape": [..],
                        "bits": [..]     # F64/F32/F16/BF16: IEEE bit patterns as integers
                                         # (F64 and 64-bit ints as decimal strings, exact in JS)
                        | "values": [..] # integer dtypes (I64/U64 as decimal strings), BOOL as true/false
                       }},
     "f16_pairs": [[f32_name, f16_name], ..],  # verify: f16 tensor == numpy astype(f32 tensor)
     "layout": [names in byte-buffer order], "header_length": N, "file_length": n  # write mode only
     "float16": {...}}                           # write mode only: edge-value conversions
"""
import json
import os
import struct
import sys

import numpy as np

# safetensors dtype -> (numpy little-endian dtype, rank in the reference crate's `Dtype` enum).
# The Rust enum is declared in increasing alignment order (BOOL, U8, I8, F8_E5M2, F8_E4M3, I16,
# U16, F16, BF16, I32, U32, F32, F64, I64, U64; newer releases insert F4/F6/F8 variants and C64
# without changing the relative order of these), and its writer (`prepare` in
# safetensors/src/tensor.rs) sorts tensors by that enum DESCENDING, then by name (byte order of
# the UTF-8 names), so every tensor starts aligned for its element type. The header JSON lists
# "__metadata__" first (only when metadata is given), then the tensors in that layout order,
# compact (no spaces), non-ASCII kept as UTF-8; it is then padded with b' ' to a multiple of 8 bytes.
# Metadata is a Rust HashMap (arbitrary order); this script writes it sorted by key.
# BF16 has no numpy dtype: it travels as '<u2' bit patterns.
DTYPES = {
    'BOOL': ('|b1', 0),
    'U8': ('|u1', 1),
    'I8': ('|i1', 2),
    'I16': ('<i2', 5),
    'U16': ('<u2', 6),
    'F16': ('<f2', 7),
    'BF16': ('<u2', 8),
    'I32': ('<i4', 9),
    'U32': ('<u4', 10),
    'F32': ('<f4', 11),
    'F64': ('<f8', 12),
    'I64': ('<i8', 13),
    'U64': ('<u8', 14),
}
BITS_VIEW = {'F64': '<u8', 'F32': '<u4', 'F16': '<u2', 'BF16': '<u2'}
MAX_HEADER = 100_000_000


def write_reference(tensors, metadata=None):
    """tensors: {name: (dtype, ndarray)}. Returns the file bytes as the reference writer lays them out."""
    order = sorted(tensors, key=lambda n: (-DTYPES[tensors[n][0]][1], n.encode('utf-8')))
    header = {}
    if metadata is not None:
        header['__metadata__'] = {k: metadata[k] for k in sorted(metadata, key=lambda k: k.encode('utf-8'))}
    chunks, offset = [], 0
    for name in order:
        dtype, arr = tensors[name]
        data = np.ascontiguousarray(arr, dtype=DTYPES[dtype][0]).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(arr.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    return struct.pack('<Q', len(text)) + text + b''.join(chunks)


def read_file(raw):
    """Returns (header_length, metadata or None, {name: (dtype, ndarray)}, names in layout order).
    Raises ValueError on any structural problem."""
    if len(raw) < 8:
        raise ValueError('shorter than the 8-byte length prefix')
    (n,) = struct.unpack('<Q', raw[:8])
    if n > MAX_HEADER or 8 + n > len(raw):
        raise ValueError(f'header length {n} out of range')
    header = json.loads(raw[8:8 + n].decode('utf-8'))
    metadata = header.pop('__metadata__', None)
    entries = sorted(header.items(), key=lambda kv: tuple(kv[1]['data_offsets']))
    buf = raw[8 + n:]
    pos, tensors = 0, {}
    for name, e in entries:
        begin, end = e['data_offsets']
        if begin != pos or end < begin:
            raise ValueError(f'{name}: offsets {begin},{end} not contiguous at {pos}')
        np_dtype = DTYPES[e['dtype']][0]
        count = int(np.prod(e['shape'], dtype=np.int64))
        if end - begin != count * np.dtype(np_dtype).itemsize:
            raise ValueError(f'{name}: {end - begin} bytes for {e["dtype"]} {e["shape"]}')
        tensors[name] = (e['dtype'], np.frombuffer(buf[begin:end], dtype=np_dtype).reshape(e['shape']))
        pos = end
    if pos != len(buf):
        raise ValueError(f'byte buffer has {len(buf)} bytes, tensors cover {pos}')
    return n, metadata, tensors, [name for name, _ in entries]


def to_json_values(dtype, arr):
    flat = arr.reshape(-1)
    if dtype in BITS_VIEW:
        bits = flat.view(BITS_VIEW[dtype])
        return 'bits', [str(int(b)) for b in bits] if dtype == 'F64' else [int(b) for b in bits]
    if dtype == 'BOOL':
        return 'values', [bool(v) for v in flat]
    if dtype in ('I64', 'U64'):
        return 'values', [str(int(v)) for v in flat]
    return 'values', [int(v) for v in flat]


def from_json_values(dtype, spec):
    np_dtype = DTYPES[dtype][0]
    if dtype in BITS_VIEW:
        bits = np.array([int(b) for b in spec['bits']], dtype=BITS_VIEW[dtype])
        arr = bits.view(np_dtype)
    else:
        arr = np.array([int(v) if isinstance(v, str) else v for v in spec['values']], dtype=np_dtype)
    return arr.reshape(spec['shape'])


def f32(values):
    return np.array(values, dtype=np.float32)


def edge_values():
    """float32 inputs that exercise every branch of float32 -> float16 rounding."""
    t = 2.0 ** -24  # smallest positive subnormal half
    labelled = [
        ('zero', 0.0), ('negative zero', -0.0), ('one', 1.0), ('minus one', -1.0),
        ('max half 65504', 65504.0), ('65519 rounds down to 65504', 65519.0),
        ('65520 ties to inf', 65520.0), ('-65520 ties to -inf', -65520.0), ('1e6 overflows', 1e6),
        ('inf', np.inf), ('-inf', -np.inf), ('nan', np.nan), ('-nan', -np.nan),
        ('float32 max', np.finfo(np.float32).max),
        ('6e-8 subnormal', 6e-8), ('2^-24 smallest subnormal', t), ('-2^-24', -t),
        ('2^-25 ties to zero', t / 2), ('just above 2^-25', np.nextafter(np.float32(t / 2), np.float32(1))),
        ('3 * 2^-25 ties to 2 * 2^-24', 3 * t / 2), ('5 * 2^-25 ties to 2 * 2^-24', 5 * t / 2),
        ('2^-14 smallest normal', 2.0 ** -14), ('largest subnormal', 2.0 ** -14 - t),
        ('between subnormal max and normal min', 2.0 ** -14 - t / 2),
        ('1e-5 subnormal', 1e-5), ('float32 min subnormal', np.float32(1.4e-45)), ('-1e-45', -1.4e-45),
        ('1 + 2^-11 ties to 1', 1 + 2.0 ** -11), ('1 + 3 * 2^-11 ties up', 1 + 3 * 2.0 ** -11),
        ('above tie 1 + 2^-11 + 2^-23', 1 + 2.0 ** -11 + 2.0 ** -23),
        ('below tie 1 + 2^-11 - 2^-23', 1 + 2.0 ** -11 - 2.0 ** -23),
        ('2049 ties to 2048', 2049.0), ('2051 ties to 2052', 2051.0), ('-2051', -2051.0),
        ('0.1', 0.1), ('1/3', 1 / 3), ('pi', np.pi), ('-e', -np.e), ('1000.7', 1000.7),
        ('32768 + 16 ties to 32768', 32784.0), ('32768 + 48 ties to 32832', 32816.0),
    ]
    return [label for label, _ in labelled], f32([v for _, v in labelled])


def write_mode(out_dir):
    labels, src = edge_values()
    with np.errstate(over='ignore'):  # the overflow to inf is the point
        half = src.astype(np.float16)
    back = half.astype(np.float32)
    tensors = {
        'mean': ('F32', f32([[0.5, -1.25, 3.0e-5], [1e30, -0.0, 7.0]])),
        'precision_factor': ('F16', f32([[1.0, 0.0], [-0.3333, 2.5]]).astype(np.float16)),
        'edges_f32': ('F32', src),
        'edges_f16': ('F16', half),
        'f64': ('F64', np.array([np.pi, -1e-300, 2.0 ** 53 + 2], dtype=np.float64)),
        'i64': ('I64', np.array([-(2 ** 63), 2 ** 63 - 1, 2 ** 53 + 1, -1], dtype=np.int64)),
        'u64': ('U64', np.array([2 ** 64 - 1, 0], dtype=np.uint64)),
        'i32': ('I32', np.array([[-(2 ** 31), 2 ** 31 - 1, 5]], dtype=np.int32)),
        'u32': ('U32', np.array([2 ** 32 - 1], dtype=np.uint32)),
        'i16': ('I16', np.array([-32768, 32767, -2], dtype=np.int16)),
        'u16': ('U16', np.array([65535, 1], dtype=np.uint16)),
        'bf16': ('BF16', np.array([0x3F80, 0xC000, 0x7FC0], dtype=np.uint16)),  # 1.0, -2.0, NaN
        'i8': ('I8', np.array([-128, 127, 0], dtype=np.int8)),
        'u8': ('U8', np.array([0, 1, 254, 255, 7], dtype=np.uint8)),  # odd length: padding-free layout
        'flags': ('BOOL', np.array([True, False, True], dtype=np.bool_)),
        'scalar': ('F32', np.array(42.5, dtype=np.float32)),  # shape []
        'empty': ('F32', np.zeros((0, 4), dtype=np.float32)),  # zero elements, offsets [x, x]
        '0': ('F32', f32([1.0])),  # an integer-like name: JSON.stringify would reorder it
        'ünïcode.weight': ('F32', f32([-4.0])),
        '\U0001F600 emoji': ('U8', np.array([9], dtype=np.uint8)),  # above U+FFFF: sorts after U+E000..
        '\uFF21 fullwidth': ('U8', np.array([8], dtype=np.uint8)),
    }
    metadata = {'format': 'pt', 'padim.version': '1', 'note': 'é ✓ "quoted"\n\ttab'}
    raw = write_reference(tensors, metadata)
    n, _, _, layout = read_file(raw)  # self-check

    expected = {
        'metadata': metadata,
        'header_length': n,
        'file_length': len(raw),
        'layout': layout,
        'tensors': {},
        'f16_pairs': [['edges_f32', 'edges_f16']],
        'float16': {
            'labels': labels,
            'f32_bits': [int(b) for b in src.view('<u4')],
            'f16_bits': [int(b) for b in half.view('<u2')],
            'f16_to_f32_bits': [int(b) for b in back.view('<u4')],
        },
    }
    for name, (dtype, arr) in tensors.items():
        kind, values = to_json_values(dtype, arr)
        expected['tensors'][name] = {'dtype': dtype, 'shape': list(arr.shape), kind: values}

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'safetensors-reference.safetensors'), 'wb') as f:
        f.write(raw)
    with open(os.path.join(out_dir, 'safetensors-reference.json'), 'w', encoding='utf-8') as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
        f.write('\n')
    print(f'wrote {len(raw)} bytes ({len(tensors)} tensors, header {n}) to {out_dir}')


def same_bits(dtype, a, b):
    if dtype in BITS_VIEW:
        return np.array_equal(a.reshape(-1).view(BITS_VIEW[dtype]), b.reshape(-1).view(BITS_VIEW[dtype]))
    return np.array_equal(a, b)


def verify_mode(path, expected_path):
    with open(path, 'rb') as f:
        raw = f.read()
    with open(expected_path, encoding='utf-8') as f:
        expected = json.load(f)
    errors = []
    try:
        n, metadata, tensors, layout = read_file(raw)
    except (ValueError, KeyError, UnicodeDecodeError, json.JSONDecodeError) as e:
        print(f'FAIL: cannot read {path}: {e!r}')
        return 1
    if n % 8 != 0:
        errors.append(f'header length {n} is not a multiple of 8 (byte buffer unaligned)')
    if (metadata or {}) != expected.get('metadata', {}):
        errors.append(f'metadata {metadata!r} != {expected.get("metadata")!r}')
    if sorted(tensors) != sorted(expected['tensors']):
        errors.append(f'tensor names {sorted(tensors)} != {sorted(expected["tensors"])}')
    for name, spec in expected['tensors'].items():
        if name not in tensors:
            continue
        dtype, arr = tensors[name]
        if dtype != spec['dtype'] or list(arr.shape) != spec['shape']:
            errors.append(f'{name}: {dtype} {list(arr.shape)} != {spec["dtype"]} {spec["shape"]}')
            continue
        if not same_bits(dtype, arr, from_json_values(dtype, spec)):
            errors.append(f'{name}: values differ from EXPECTED')
    for f32_name, f16_name in expected.get('f16_pairs', []):
        src, got = tensors[f32_name][1].reshape(-1), tensors[f16_name][1].reshape(-1)
        with np.errstate(over='ignore'):
            want = src.astype(np.float16)
        bad = np.nonzero(want.view('<u2') != got.view('<u2'))[0]
        if len(bad):
            i = int(bad[0])
            errors.append(
                f'{f16_name}: {len(bad)} of {want.size} halves differ from numpy astype(float16), first at {i}: '
                f'f32 bits {int(src.view("<u4")[i]):#010x} -> numpy {int(want.view("<u2")[i]):#06x}, '
                f'file {int(got.view("<u2")[i]):#06x}')
    # The whole file must be what the reference writer produces from the same tensors and metadata.
    reference = write_reference(tensors, metadata)
    if reference != raw:
        at = next((i for i, (a, b) in enumerate(zip(reference, raw)) if a != b), min(len(reference), len(raw)))
        errors.append(f'file differs from the reference layout at byte {at} (layout order {layout})')
    if errors:
        for e in errors:
            print(f'FAIL: {e}')
        return 1
    print(f'OK: {path}: {len(tensors)} tensors, header {n} bytes, byte-identical to the reference layout')
    return 0


if __name__ == '__main__':
    args = sys.argv[1:]
    if args and args[0] == 'write' and len(args) <= 2:
        default = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures')
        write_mode(os.path.normpath(args[1] if len(args) == 2 else default))
    elif args and args[0] == 'verify' and len(args) == 3:
        sys.exit(verify_mode(args[1], args[2]))
    else:
        print(__doc__)
        sys.exit(2)
