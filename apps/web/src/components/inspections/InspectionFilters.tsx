/**
 * The list's filters as a plain GET form: submitting it writes them to the URL (and drops the
 * page cursor), so it works before any script runs and every view can be bookmarked.
 */
import Link from 'next/link';
import type { FilterValues } from './filters';
import type { ProductModelOption } from './productModels';
import styles from './InspectionFilters.module.css';

export function InspectionFilters({
  values,
  productModels,
}: {
  values: FilterValues;
  productModels: ProductModelOption[];
}) {
  return (
    <form method="get" action="/inspections" className={`card ${styles.filters}`} role="search">
      <label>
        Product model
        <select name="productModelId" defaultValue={values.productModelId}>
          <option value="">All</option>
          {productModels.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Verdict
        <select name="verdict" defaultValue={values.verdict}>
          <option value="">Any</option>
          <option value="DEFECT">Defect</option>
          <option value="GOOD">Good</option>
        </select>
      </label>
      <label>
        Status
        <select name="status" defaultValue={values.status}>
          <option value="">Any</option>
          <option value="COMPLETED">Completed</option>
          <option value="PENDING">Pending</option>
          <option value="PROCESSING">Processing</option>
          <option value="FAILED">Failed</option>
        </select>
      </label>
      <label>
        Reviewed
        <select name="reviewed" defaultValue={values.reviewed}>
          <option value="">Either</option>
          <option value="yes">Yes</option>
          <option value="no">No</option>
        </select>
      </label>
      <fieldset className={styles.range}>
        <legend>Score</legend>
        <label>
          <span className="sr-only">Minimum score</span>
          <input
            name="minScore"
            type="number"
            step="any"
            min={0}
            inputMode="decimal"
            placeholder="min"
            defaultValue={values.minScore}
          />
        </label>
        <span aria-hidden="true">–</span>
        <label>
          <span className="sr-only">Maximum score</span>
          <input
            name="maxScore"
            type="number"
            step="any"
            min={0}
            inputMode="decimal"
            placeholder="max"
            defaultValue={values.maxScore}
          />
        </label>
      </fieldset>
      <label>
        From (UTC)
        <input name="from" type="date" defaultValue={values.from} />
      </label>
      <label>
        To (UTC, incl.)
        <input name="to" type="date" defaultValue={values.to} />
      </label>
      <label>
        Batch
        <input
          name="batchId"
          placeholder="batch id"
          defaultValue={values.batchId}
          spellCheck={false}
          autoComplete="off"
        />
      </label>
      <div className={styles.actions}>
        <button type="submit" className="primary">
          Apply
        </button>
        <Link href="/inspections">Clear</Link>
      </div>
    </form>
  );
}
