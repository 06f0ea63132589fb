'use client';
import { useState, type FormEvent } from 'react';
import { errorMessage } from './client';

/** A trimmed text field of a submitted form ('' when absent). */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A trimmed optional text field: undefined when empty. */
export function formOptional(data: FormData, name: string): string | undefined {
  return formText(data, name) || undefined;
}

/**
 * The submit handler of a small form that calls the API: `pending` while it runs, the API's
 * message in `error` when it fails. `submit` gets the form's data and the form (to reset it).
 */
export function useFormSubmit(submit: (data: FormData, form: HTMLFormElement) => Promise<void>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    const form = e.currentTarget;
    setPending(true);
    setError(null);
    try {
      await submit(new FormData(form), form);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  return { pending, error, onSubmit };
}
