'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { DescriptionField, FormError } from '@/components/FormError';
import { mutate } from '@/lib/client';
import { formOptional, formText, useFormSubmit } from '@/lib/forms';
import { ModelCreateDatasetMutation } from './operations';

/** A new (empty) dataset of this product model; images are uploaded on the dataset's page. */
export function CreateDatasetForm({ productModelId }: { productModelId: string }) {
  const router = useRouter();
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const { pending, error, onSubmit } = useFormSubmit(async (data, form) => {
    const r = await mutate(ModelCreateDatasetMutation, {
      input: {
        productModelId,
        name: formText(data, 'name'),
        description: formOptional(data, 'description'),
      },
    });
    form.reset();
    setCreated(r.createDataset);
    router.refresh();
  });

  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="create-dataset-title">
      <h3 id="create-dataset-title">Create a dataset</h3>
      <label>
        Dataset name
        <input name="name" required maxLength={100} placeholder="good parts, week 12" />
      </label>
      <DescriptionField />
      <FormError error={error} />
      {created && (
        <p role="status">
          Dataset created:{' '}
          <Link href={`/datasets/${created.id}`}>upload images to “{created.name}”</Link>.
        </p>
      )}
      <div>
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create dataset'}
        </button>
      </div>
    </form>
  );
}
