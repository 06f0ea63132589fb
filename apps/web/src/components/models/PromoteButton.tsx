'use client';
import { FormError } from '@/components/FormError';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage, mutate } from '@/lib/client';
import { ModelPromoteMutation } from './operations';

/** Makes a READY version the one that answers inspections (ENGINEER+). */
export function PromoteButton({ versionId, version }: { versionId: string; version: number }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function promote() {
    setPending(true);
    setError(null);
    try {
      await mutate(ModelPromoteMutation, { id: versionId });
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }
  return (
    <>
      <button
        type="button"
        onClick={promote}
        disabled={pending}
        aria-label={`Promote version ${version} to active`}
      >
        {pending ? 'Promoting…' : 'Promote'}
      </button>
      <FormError error={error} />
    </>
  );
}
