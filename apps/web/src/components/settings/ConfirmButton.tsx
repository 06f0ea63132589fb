'use client';
import { useEffect, useRef, useState } from 'react';

/**
 * A destructive action in two steps on the spot (no modal): the first press asks, the second
 * does it; Cancel (or Escape) returns focus to the first button.
 */
export function ConfirmButton({
  children,
  confirm,
  onConfirm,
  busy = false,
  label,
}: {
  children: string;
  /** The question's button, e.g. "Yes, revoke". */
  confirm: string;
  onConfirm: () => void | Promise<void>;
  busy?: boolean;
  /** Accessible name when the visible text alone is ambiguous (e.g. "Revoke key ci-runner"). */
  label?: string;
}) {
  const [asking, setAsking] = useState(false);
  const first = useRef<HTMLButtonElement>(null);
  const yes = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (wasAsking.current) first.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking)
    return (
      <button
        ref={first}
        type="button"
        aria-label={label}
        disabled={busy}
        onClick={() => setAsking(true)}
      >
        {children}
      </button>
    );
  return (
    <span
      className="row"
      role="group"
      aria-label={label ?? children}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setAsking(false);
      }}
    >
      <button
        ref={yes}
        type="button"
        className="danger"
        disabled={busy}
        onClick={async () => {
          await onConfirm();
          setAsking(false);
        }}
      >
        {confirm}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
