import Link from 'next/link';

export default function DatasetNotFound() {
  return (
    <section className="card">
      <h1>Dataset not found</h1>
      <p>It does not exist, was deleted, or belongs to another organization.</p>
      <Link href="/">Back to the overview</Link>
    </section>
  );
}
