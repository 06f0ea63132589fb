'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { errorMessage, mutate } from '@/lib/client';
import { ModelCreateDatasetMutation } from './operations';

/** A new (empty) dataset of this product model; images are uploaded on the dataset's page. */
export function CreateDatasetForm({ productModelId }: { productModelId: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setPending(true);
    setError(null);
    try {
      const r = await mutate(ModelCreateDatasetMutation, {
        input: {
          productModelId,
          name: String(data.get('name') ?? '').trim(),
          description: String(data.get('description') ?? '').trim() || undefined,
        },
      });
      form.reset();
      setCreated(r.createDataset);
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="create-dataset-title">
      <h3 id="create-dataset-title">Create a dataset</h3>
      <label>
        Dataset name
        <input name="name" required maxLength={100} placeholder="good parts, week 12" />
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
