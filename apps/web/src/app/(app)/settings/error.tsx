'use client';

export default function SettingsError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <section className="card" role="alert">
      <h2>This page could not be loaded</h2>
      <p>{error.message || 'Something went wrong.'}</p>
      <button type="button" className="primary" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
