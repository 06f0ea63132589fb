'use client';
import { useRouter } from 'next/navigation';
import { DescriptionField, FormError } from '@/components/FormError';
import { mutate } from '@/lib/client';
import { formOptional, formText, useFormSubmit } from '@/lib/forms';
import { OverviewCreateProductModelMutation } from './operations';

/**
 * A product model is one product seen from one camera pose: PaDiM assumes aligned parts, so each
 * pose gets its own detector. On success the browser goes to the new model's page (next steps).
 */
export function CreateProductModelForm({
  projects,
  projectId,
}: {
  projects: readonly { id: string; name: string }[];
  /** Fixes the project (the project page); otherwise a select is shown. */
  projectId?: string;
}) {
  const router = useRouter();
  const { pending, error, onSubmit } = useFormSubmit(async (data) => {
    const r = await mutate(OverviewCreateProductModelMutation, {
      input: {
        projectId: projectId ?? formText(data, 'projectId'),
        name: formText(data, 'name'),
        cameraPose: formOptional(data, 'cameraPose'),
        description: formOptional(data, 'description'),
      },
    });
    router.push(`/models/${r.createProductModel.id}`);
  });

  if (!projectId && projects.length === 0)
    return (
      <div className="stack">
        <h2>Create a product model</h2>
        <p className="muted">Create a project first: every product model belongs to one.</p>
      </div>
    );

  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="create-pm-title">
      <h2 id="create-pm-title">Create a product model</h2>
      {!projectId && (
        <label>
          Project
          <select name="projectId" required defaultValue={projects[0]?.id}>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Product model name
        <input name="name" required maxLength={100} placeholder="Gear 42-T" />
      </label>
      <label>
        <span>
          Camera pose <span className="muted">(one model per pose; “default” if empty)</span>
        </span>
        <input name="cameraPose" maxLength={100} placeholder="top" />
      </label>
      <DescriptionField />
      <FormError error={error} />
      <div>
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create product model'}
        </button>
      </div>
    </form>
  );
}
