/**
 * The list's filters as a plain GET form: submitting it writes them to the URL (and drops the
 * page cursor), so it works before any script runs and every view can be bookmarked.
 */
import Link from 'next/link';
import type { FilterValues } from './filters';
import type { ProductModelOption } from './productModels';
import styles from './InspectionFilters.module.css';

type Options = readonly (readonly [value: string, text: string])[];

const VERDICTS: Options = [
  ['', 'Any'],
  ['DEFECT', 'Defect'],
  ['GOOD', 'Good'],
];
const STATUSES: Options = [
  ['', 'Any'],
  ['COMPLETED', 'Completed'],
  ['PENDING', 'Pending'],
  ['PROCESSING', 'Processing'],
  ['FAILED', 'Failed'],
];
const REVIEWED: Options = [
  ['', 'Either'],
  ['yes', 'Yes'],
  ['no', 'No'],
];

function SelectFilter({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: Options;
}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function InspectionFilters({
  values,
  productModels,
}: {
  values: FilterValues;
  productModels: ProductModelOption[];
}) {
  return (
    <form method="get" action="/inspections" className={`card ${styles.filters}`} role="search">
      <SelectFilter
        name="productModelId"
        label="Product model"
        value={values.productModelId}
        options={[['', 'All'], ...productModels.map((p): [string, string] => [p.id, p.label])]}
      />
      <SelectFilter name="verdict" label="Verdict" value={values.verdict} options={VERDICTS} />
      <SelectFilter name="status" label="Status" value={values.status} options={STATUSES} />
      <SelectFilter name="reviewed" label="Reviewed" value={values.reviewed} options={REVIEWED} />
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
