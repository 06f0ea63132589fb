'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { DescriptionField, FormError } from '@/components/FormError';
import { mutate } from '@/lib/client';
import { formOptional, formText, useFormSubmit } from '@/lib/forms';
import { OverviewCreateProjectMutation } from './operations';

/** A project groups the product models of one line or customer. ENGINEER+ only (the page decides). */
export function CreateProjectForm() {
  const router = useRouter();
  const [created, setCreated] = useState<string | null>(null);
  const { pending, error, onSubmit } = useFormSubmit(async (data, form) => {
    setCreated(null);
    const r = await mutate(OverviewCreateProjectMutation, {
      input: { name: formText(data, 'name'), description: formOptional(data, 'description') },
    });
    form.reset();
    setCreated(r.createProject.name);
    router.refresh();
  });

  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="create-project-title">
      <h2 id="create-project-title">Create a project</h2>
      <label>
        Project name
        <input name="name" required maxLength={100} placeholder="Gearbox line 2" />
      </label>
      <DescriptionField />
      <FormError error={error} />
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
