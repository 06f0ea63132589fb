'use client';
/** Record or change the review of one inspection (the detail page). */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Verdict } from '@/gql/graphql';
import { errorMessage, mutate } from '@/lib/client';
import { ReviewVerdict } from './operations';
import styles from './ReviewForm.module.css';

export function ReviewForm({
  inspectionId,
  productModelId,
  current,
}: {
  inspectionId: string;
  productModelId: string;
  current: { verdict: Verdict; note: string | null } | null;
}) {
  const router = useRouter();
  const [note, setNote] = useState(current?.note ?? '');
  const [busy, setBusy] = useState<Verdict | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string; fp?: boolean } | null>(null);

  async function decide(verdict: Verdict) {
    setBusy(verdict);
    setResult(null);
    try {
      await mutate(ReviewVerdict, {
        input: { inspectionId, verdict, note: note.trim() || null },
      });
      setResult({
        ok: true,
        fp: verdict === 'GOOD',
        text:
          verdict === 'GOOD'
            ? 'Saved as a false positive. An engineer can fold reviewed false positives into the model from the model page.'
            : 'Saved: defect confirmed.',
      });
      router.refresh();
    } catch (error) {
      setResult({ ok: false, text: `Not saved: ${errorMessage(error)}` });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className={styles.form}>
      <label>
        Note (optional)
        <textarea
          rows={3}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      <div className={styles.buttons}>
        <button
          type="button"
          className="danger"
          disabled={busy !== null}
          onClick={() => void decide('DEFECT')}
        >
          {busy === 'DEFECT' ? 'Saving…' : 'True defect'}
        </button>
        <button
          type="button"
          className="good"
          disabled={busy !== null}
          onClick={() => void decide('GOOD')}
        >
          {busy === 'GOOD' ? 'Saving…' : 'False positive'}
        </button>
      </div>
      {current && (
        <p className="muted">
          Saving again replaces the review above (the audit log keeps the old one).
        </p>
      )}
      <p role={result?.ok === false ? 'alert' : 'status'} className={result?.ok ? '' : 'error'}>
        {result?.text}
        {result?.fp && (
          <>
            {' '}
            <Link href={`/models/${productModelId}`}>Open the model page</Link>
          </>
        )}
      </p>
    </div>
  );
}
