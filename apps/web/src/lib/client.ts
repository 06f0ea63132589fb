'use client';
/**
 * GraphQL from client components, through the dashboard's own /api/graphql route (which adds the
 * session token): no token and no API address ever reach the browser.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { ApiError, unwrap } from './errors';

export async function mutate<R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V>,
  variables?: V,
): Promise<R> {
  let res: Response;
  try {
    res = await fetch('/api/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('the dashboard server cannot be reached', 'NETWORK');
  }
  const body = (await res.json().catch(() => ({}))) as Parameters<typeof unwrap<R>>[0];
  return unwrap(body, res.status);
}

/** The same as `mutate`; a name that reads better for reads. */
export const request = mutate;

/**
 * A GraphQL multipart request (one or more files) with upload progress, through /api/graphql.
 * `files` maps each File to the variable path it fills (`variables.image`, `variables.files.0`).
 */
export function upload<R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V>,
  variables: V,
  files: { path: string; file: File }[],
  onProgress?: (fraction: number) => void,
): Promise<R> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: print(document), variables }));
  form.append(
    'map',
    JSON.stringify(Object.fromEntries(files.map((f, i) => [String(i), [f.path]]))),
  );
  files.forEach((f, i) => form.append(String(i), f.file, f.file.name));
  return new Promise<R>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/graphql');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError('the upload failed (network)', 'NETWORK'));
    xhr.onload = () => {
      try {
        resolve(unwrap<R>(xhr.response ?? {}, xhr.status));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    xhr.send(form);
  });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
