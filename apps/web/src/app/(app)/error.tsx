'use client';

export default function ErrorPage({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <section className="card" role="alert">
      <h1>Something went wrong</h1>
      <p>{error.message || 'The page could not be loaded.'}</p>
      <button type="button" className="primary" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
