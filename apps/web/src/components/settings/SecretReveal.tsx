'use client';
import { useEffect, useId, useRef, useState } from 'react';
import styles from './settings.module.css';

/**
 * A secret the API shows exactly once (an API key, a webhook signing secret): focus moves here so
 * the message is read out, with a copy button. Dismissing it, or reloading, loses it for good.
 */
export function SecretReveal({
  title,
  secret,
  what,
  onDone,
}: {
  title: string;
  secret: string;
  /** e.g. "key", "signing secret". */
  what: string;
  onDone: () => void;
}) {
  const headingId = useId();
  const fieldId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);

  useEffect(() => {
    heading.current?.focus();
  }, [secret]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard permission (or not a secure context): select it for Ctrl+C instead.
      field.current?.select();
      setCopied('no');
    }
  }

  return (
    <section className={styles.secret} aria-labelledby={headingId} data-testid="secret-reveal">
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <p className={styles.once}>
        Copy this {what} now and store it somewhere safe: you won&rsquo;t see it again. Only a hash
        is kept.
      </p>
      <div className={styles.secretRow}>
        <label htmlFor={fieldId} className="sr-only">
          The {what}
        </label>
        <input
          id={fieldId}
          ref={field}
          className="mono"
          readOnly
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
        />
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          I&rsquo;ve stored it
        </button>
      </div>
      <p role="status" className="muted">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'no'
            ? 'Copying is not allowed here: the text is selected, press Ctrl+C (⌘C).'
            : ''}
      </p>
    </section>
  );
}
