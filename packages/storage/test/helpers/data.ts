import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

/** A fresh organization id per test, so tests never see each other's objects. */
export function newOrgId(): string {
  return `o${randomUUID().replaceAll('-', '')}`;
}

export function bytes(n: number): Uint8Array {
  return new Uint8Array(randomBytes(n));
}

export function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/** A stream that yields `data` in chunks of `chunk` bytes (a real stream, not one buffer). */
export function chunked(data: Uint8Array, chunk = 64 * 1024): Readable {
  function* parts(): Generator<Buffer> {
    for (let i = 0; i < data.length; i += chunk) yield Buffer.from(data.subarray(i, i + chunk));
  }
  return Readable.from(parts());
}

export async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Byte equality without Vitest's element-by-element deep equality (minutes on megabytes). */
export function sameBytes(actual: Uint8Array, expected: Uint8Array): boolean {
  return Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(
    Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength),
  );
}
