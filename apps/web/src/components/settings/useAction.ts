'use client';
import { useState } from 'react';
import { errorMessage } from '@/lib/client';
import type { NoticeValue } from './Notice';

/**
 * One settings action at a time: `busy` while it runs, its outcome as a notice (the text the work
 * returns on success; the API's message, after `errorPrefix`, on failure).
 */
export function useAction(errorPrefix = '') {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<NoticeValue>(null);

  async function run(
    work: () => Promise<string | null | void>,
    onError?: () => void,
  ): Promise<void> {
    setBusy(true);
    setNotice(null);
    try {
      const text = await work();
      if (text) setNotice({ ok: true, text });
    } catch (error) {
      onError?.();
      setNotice({ ok: false, text: `${errorPrefix}${errorMessage(error)}` });
    } finally {
      setBusy(false);
    }
  }

  return { busy, notice, setNotice, run };
}
