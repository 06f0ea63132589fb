/**
 * The inspections list's filters live in the URL (shareable, and the back button works). Parsing is
 * forgiving: a malformed value is dropped and named in `problems`, never sent to the API.
 */
import type { InspectionFilter, InspectionStatus, Verdict } from '@/gql/graphql';

export type SearchParams = Record<string, string | string[] | undefined>;

/** The form's values, as typed (strings): what the inputs show. */
export interface FilterValues {
  verdict: string;
  status: string;
  minScore: string;
  maxScore: string;
  from: string;
  to: string;
  productModelId: string;
  reviewed: string;
  batchId: string;
}

export const FILTER_KEYS: readonly (keyof FilterValues)[] = [
  'verdict',
  'status',
  'minScore',
  'maxScore',
  'from',
  'to',
  'productModelId',
  'reviewed',
  'batchId',
];

const VERDICTS: readonly Verdict[] = ['DEFECT', 'GOOD'];
const STATUSES: readonly InspectionStatus[] = ['COMPLETED', 'PENDING', 'PROCESSING', 'FAILED'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** A calendar day (UTC) as the instant it starts, or null when it is not a real day. */
function dayStart(value: string): Date | null {
  if (!DAY.test(value)) return null;
  const date = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
}

export function parseFilters(params: SearchParams): {
  values: FilterValues;
  filter: InspectionFilter;
  after: string | null;
  problems: string[];
} {
  const values = Object.fromEntries(
    FILTER_KEYS.map((k) => [k, one(params[k])]),
  ) as unknown as FilterValues;
  const filter: InspectionFilter = {};
  const problems: string[] = [];

  if (values.verdict) {
    if ((VERDICTS as readonly string[]).includes(values.verdict))
      filter.verdict = values.verdict as Verdict;
    else problems.push(`unknown verdict “${values.verdict}”`);
  }
  if (values.status) {
    if ((STATUSES as readonly string[]).includes(values.status))
      filter.status = values.status as InspectionStatus;
    else problems.push(`unknown status “${values.status}”`);
  }
  for (const key of ['minScore', 'maxScore'] as const) {
    if (!values[key]) continue;
    const n = Number(values[key]);
    if (Number.isFinite(n)) filter[key] = n;
    else problems.push(`${key === 'minScore' ? 'minimum' : 'maximum'} score is not a number`);
  }
  if (filter.minScore != null && filter.maxScore != null && filter.minScore > filter.maxScore) {
    problems.push('the minimum score is above the maximum: both were ignored');
    delete filter.minScore;
    delete filter.maxScore;
  }
  const from = values.from ? dayStart(values.from) : null;
  const to = values.to ? dayStart(values.to) : null;
  if (values.from && !from) problems.push('“from” is not a date (YYYY-MM-DD)');
  if (values.to && !to) problems.push('“to” is not a date (YYYY-MM-DD)');
  if (from && to && from > to) problems.push('“from” is after “to”: the dates were ignored');
  else {
    if (from) filter.from = from.toISOString();
    // The whole "to" day is included: createdAt < the next day's start.
    if (to) filter.to = new Date(to.getTime() + DAY_MS).toISOString();
  }
  if (values.productModelId) filter.productModelId = values.productModelId;
  if (values.reviewed === 'yes') filter.reviewed = true;
  else if (values.reviewed === 'no') filter.reviewed = false;
  else if (values.reviewed) problems.push(`reviewed must be yes or no`);
  if (values.batchId) filter.batchId = values.batchId;

  return { values, filter, after: one(params.after) || null, problems };
}

/** The list's URL for these values (empty ones left out), optionally at a cursor. */
export function listHref(values: Partial<FilterValues>, after?: string | null): string {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const v = values[key];
    if (v) search.set(key, v);
  }
  if (after) search.set('after', after);
  const s = search.toString();
  return s ? `/inspections?${s}` : '/inspections';
}
