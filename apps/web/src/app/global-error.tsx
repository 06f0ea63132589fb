'use client';
import './globals.css';

/** Errors the page shell itself hits (the API down, for instance): a message and a retry. */
export default function GlobalError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="content">
          <section className="card" role="alert">
            <h1>The dashboard cannot load</h1>
            <p>
              {error.message && !error.message.includes('digest')
                ? error.message
                : 'The server could not answer. If this persists, check that the API is running.'}
            </p>
            <div className="row">
              <button type="button" className="primary" onClick={reset}>
                Try again
              </button>
              <a className="button" href="/sign-in">
                Sign in again
              </a>
            </div>
          </section>
        </main>
      </body>
    </html>
  );
}
