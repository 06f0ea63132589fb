/** A form's error from the API, announced as an alert. */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error}
    </p>
  );
}

/** The optional free-text description of a created thing (project, product model, dataset). */
export function DescriptionField() {
  return (
    <label>
      <span>
        Description <span className="muted">(optional)</span>
      </span>
      <input name="description" maxLength={500} />
    </label>
  );
}
