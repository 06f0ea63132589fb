import { describe, expect, it } from 'vitest';

import {
  ObjectStoreError,
  ObjectStoreErrorCode,
  assertValidKey,
  assertValidPrefix,
  isObjectStoreError,
  objectKey,
  tenantKey,
  tenantPrefix,
} from '../src/index.js';

const invalidKey = expect.objectContaining({ code: ObjectStoreErrorCode.INVALID_KEY });

describe('tenantKey', () => {
  it('builds org/{organizationId}/... keys', () => {
    expect(tenantKey('acme-1', 'datasets', 'd_7', 'img.0001.png')).toBe(
      'org/acme-1/datasets/d_7/img.0001.png',
    );
    expect(tenantPrefix('acme-1')).toBe('org/acme-1/');
    expect(tenantPrefix('acme-1', 'models', 'm1')).toBe('org/acme-1/models/m1/');
  });

  it('refuses traversal, separators, empty parts and unsafe characters in any argument', () => {
    const bad: [string, ...string[]][] = [
      ['..', 'x'],
      ['acme', '..'],
      ['acme', '.'],
      ['acme', ''],
      ['', 'x'],
      ['acme/other', 'x'],
      ['acme', 'a/b'],
      ['acme', '/x'],
      ['acme', '.env'],
      ['acme', 'x y'],
      ['acme', 'x\u0000'],
      ['acme', 'naïve.png'],
      ['acme', 'a%2F..'],
      ['acme', 'x'.repeat(201)],
    ];
    for (const [org, ...parts] of bad) {
      expect(() => tenantKey(org, ...(parts as [string, ...string[]]))).toThrow(invalidKey);
    }
    expect(() => tenantPrefix('acme', '..')).toThrow(invalidKey);
    expect(() => tenantPrefix('')).toThrow(invalidKey);
  });

  it('caps the key length', () => {
    const parts = Array.from({ length: 6 }, () => 'x'.repeat(200)) as [string, ...string[]];
    expect(() => objectKey(...parts)).toThrow(invalidKey);
  });
});

describe('assertValidKey / assertValidPrefix', () => {
  it('accepts keys of the grammar', () => {
    for (const key of ['a', 'org/a/b.png', 'A-Z_0.9/x', '_x/-y']) {
      expect(() => assertValidKey(key)).not.toThrow();
    }
  });

  it('refuses prefixes that are not whole folders, and the empty prefix unless allowed', () => {
    expect(() => assertValidPrefix('org/a/')).not.toThrow();
    expect(() => assertValidPrefix('', true)).not.toThrow();
    for (const prefix of ['', 'org/a', '/org/', 'org//', '../', 'org/../']) {
      expect(() => assertValidPrefix(prefix)).toThrow(invalidKey);
    }
  });

  it('throws ObjectStoreError instances that carry the key', () => {
    try {
      assertValidKey('a/../b');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ObjectStoreError);
      expect(isObjectStoreError(err, ObjectStoreErrorCode.INVALID_KEY)).toBe(true);
      expect((err as ObjectStoreError).details.key).toBe('a/../b');
    }
  });
});
