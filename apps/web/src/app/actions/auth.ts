'use server';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { graphql } from '@/gql';
import { TOKEN_COOKIE } from '@/lib/config';
import { ApiError } from '@/lib/errors';
import { query } from '@/lib/server';

const SignIn = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      token
    }
  }
`);

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      token
    }
  }
`);

const SignOut = graphql(`
  mutation SignOut {
    signOut
  }
`);

export interface FormState {
  readonly error: string | null;
  /** What was typed (not the password): React resets the form after an action, this refills it. */
  readonly values?: Readonly<Record<string, string>>;
}

async function keep(token: string): Promise<void> {
  (await cookies()).set(TOKEN_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: process.env.PADIM_COOKIE_SECURE === 'true',
    maxAge: 14 * 24 * 3600,
  });
}

/** Only a path on this site: `//host` and `/\\host` would leave it (an open redirect). */
function safeNext(next: string): string {
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  try {
    const url = new URL(next, 'http://dashboard.invalid');
    return url.origin === 'http://dashboard.invalid' ? `${url.pathname}${url.search}` : '/';
  } catch {
    return '/';
  }
}

function field(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
}

export async function signIn(_state: FormState, form: FormData): Promise<FormState> {
  try {
    const r = await query(
      SignIn,
      { input: { email: field(form, 'email'), password: field(form, 'password') } },
      { token: null, redirectOnAuth: false },
    );
    await keep(r.signIn.token);
  } catch (error) {
    return {
      error: error instanceof ApiError ? error.message : 'sign-in failed',
      values: { email: field(form, 'email') },
    };
  }
  redirect(safeNext(field(form, 'next')));
}

export async function signUp(_state: FormState, form: FormData): Promise<FormState> {
  try {
    const r = await query(
      SignUp,
      {
        input: {
          email: field(form, 'email'),
          password: field(form, 'password'),
          name: field(form, 'name'),
          organizationName: field(form, 'organizationName'),
        },
      },
      { token: null, redirectOnAuth: false },
    );
    await keep(r.signUp.token);
  } catch (error) {
    return {
      error: error instanceof ApiError ? error.message : 'sign-up failed',
      values: {
        email: field(form, 'email'),
        name: field(form, 'name'),
        organizationName: field(form, 'organizationName'),
      },
    };
  }
  redirect('/');
}

export async function signOut(): Promise<void> {
  try {
    await query(SignOut, {}, { redirectOnAuth: false });
  } catch {
    // the session may already be gone; the cookie goes anyway
  }
  (await cookies()).delete(TOKEN_COOKIE);
  redirect('/sign-in');
}
