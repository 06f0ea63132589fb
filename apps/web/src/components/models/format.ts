/** Display helpers shared by the overview and the model pages (pure: safe on server and client). */

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** A fixed-zone date (UTC) so server and browser render the same text. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : `${DATE_TIME.format(d)} UTC`;
}

/** Bytes in SI units (the design's "125 MB" for R18-Rd100). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** Seconds as "42 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction == null || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** A score or threshold: enough digits to tell close values apart. */
export function formatScore(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(2);
  return value.toFixed(3);
}

/** RANDOM_INIT versions have no weights hash: they are for tests and offline demos only. */
export function weightsLabel(weightsSha256: string | null | undefined): string {
  return weightsSha256 ? 'ImageNet' : 'Random init (seeded) — demo only';
}

const BACKBONES: Record<string, string> = {
  resnet18: 'ResNet18',
  RESNET18: 'ResNet18',
  wide_resnet50_2: 'Wide-ResNet50-2',
  WIDE_RESNET50_2: 'Wide-ResNet50-2',
};

export function backboneLabel(backbone: string): string {
  return BACKBONES[backbone] ?? backbone;
}

/** Roles that may manage models, datasets and thresholds (the API's MANAGE_MODELS). */
export function canManage(role: string | null | undefined): boolean {
  return role === 'OWNER' || role === 'ADMIN' || role === 'ENGINEER';
}

/** A JSON object's entries, or an empty record for anything else. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function asNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function asNumbers(value: unknown): number[] {
  return Array.isArray(value)
    ? value.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    : [];
}
