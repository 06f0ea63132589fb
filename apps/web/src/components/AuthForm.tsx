'use client';
import Link from 'next/link';
import { useActionState } from 'react';
import type { FormState } from '@/app/actions/auth';

export function AuthForm({
  mode,
  action,
}: {
  mode: 'sign-in' | 'sign-up';
  action: (state: FormState, form: FormData) => Promise<FormState>;
}) {
  const [state, submit, pending] = useActionState(action, { error: null });
  const signUp = mode === 'sign-up';
  return (
    <main className="auth">
      <form action={submit} className="card auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{signUp ? 'Create your account' : 'Sign in'}</h1>
        <p className="muted">PaDiM inspection: learn normal parts, flag what deviates.</p>
        {signUp && (
          <label>
            Your name
            <input
              name="name"
              autoComplete="name"
              required
              maxLength={100}
              defaultValue={state.values?.name}
            />
          </label>
        )}
        <label>
          Email
          <input
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={state.values?.email}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={signUp ? 'new-password' : 'current-password'}
            required
            minLength={signUp ? 10 : 1}
          />
        </label>
        {signUp && (
          <label>
            Organization
            <input
              name="organizationName"
              required
              maxLength={100}
              placeholder="Gears Inc"
              defaultValue={state.values?.organizationName}
            />
          </label>
        )}
        {state.error && (
          <p role="alert" className="error">
            {state.error}
          </p>
        )}
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Please wait…' : signUp ? 'Create account' : 'Sign in'}
        </button>
        <p className="muted">
          {signUp ? (
            <>
              Have an account? <Link href="/sign-in">Sign in</Link>
            </>
          ) : (
            <>
              New here? <Link href="/sign-up">Create an account</Link>
            </>
          )}
        </p>
      </form>
    </main>
  );
}
