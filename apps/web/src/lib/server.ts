/**
 * GraphQL from server components and server actions: the API is called with the token from the
 * session cookie. An expired or missing session sends the user to sign in.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { API_URL, TOKEN_COOKIE } from './config';
import { ApiError, unwrap } from './errors';

export async function sessionToken(): Promise<string | undefined> {
  return (await cookies()).get(TOKEN_COOKIE)?.value;
}

export async function query<R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V>,
  variables?: V,
  options: { token?: string | null; redirectOnAuth?: boolean } = {},
): Promise<R> {
  const token = options.token === undefined ? await sessionToken() : options.token;
  let res: Response;
  try {
    res = await fetch(`${API_URL}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('the API cannot be reached', 'API_UNREACHABLE');
  }
  const body = (await res.json().catch(() => ({}))) as Parameters<typeof unwrap<R>>[0];
  try {
    return unwrap(body, res.status);
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.code === 'UNAUTHENTICATED' &&
      options.redirectOnAuth !== false
    )
      redirect('/sign-in');
    throw error;
  }
}
