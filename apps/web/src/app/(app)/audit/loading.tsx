export default function AuditLoading() {
  return (
    <div role="status" aria-live="polite" className="loading">
      <span className="spinner" aria-hidden="true" /> Loading the audit log…
    </div>
  );
}
