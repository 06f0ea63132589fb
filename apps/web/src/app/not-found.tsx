import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="content">
      <section className="card">
        <h1>Not found</h1>
        <p>This page does not exist, or it belongs to another organization.</p>
        <Link href="/">Back to the overview</Link>
      </section>
    </main>
  );
}
