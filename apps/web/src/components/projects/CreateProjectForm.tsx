'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { errorMessage, mutate } from '@/lib/client';
import { OverviewCreateProjectMutation } from './operations';

/** A project groups the product models of one line or customer. ENGINEER+ only (the page decides). */
export function CreateProjectForm() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setPending(true);
    setError(null);
    setCreated(null);
    try {
      const r = await mutate(OverviewCreateProjectMutation, {
        input: {
          name: String(data.get('name') ?? '').trim(),
          description: String(data.get('description') ?? '').trim() || undefined,
        },
      });
      form.reset();
      setCreated(r.createProject.name);
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="create-project-title">
      <h2 id="create-project-title">Create a project</h2>
      <label>
        Project name
        <input name="name" required maxLength={100} placeholder="Gearbox line 2" />
      </label>
      <label>
        <span>
          Description <span className="muted">(optional)</span>
        </span>
        <input name="description" maxLength={500} />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {created && (
        <p role="status" className="muted">
          Project “{created}” created.
        </p>
      )}
      <div>
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create project'}
        </button>
      </div>
    </form>
  );
}
