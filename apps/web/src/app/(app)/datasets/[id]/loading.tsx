export default function DatasetLoading() {
  return (
    <div role="status" aria-live="polite" className="loading">
      <span className="spinner" aria-hidden="true" /> Loading the dataset…
    </div>
  );
}
