'use client';
/**
 * The review queue: one flagged inspection at a time, decided from the keyboard. Items are ids;
 * each one's details (and its short-lived image URLs) are fetched when it is shown, the next one
 * ahead of time. New flagged inspections arrive over Server-Sent Events and join the end.
 */
import Link from 'next/link';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { InspectionViewFieldsFragment, Verdict } from '@/gql/graphql';
import { errorMessage, mutate, request } from '@/lib/client';
import { ApiError } from '@/lib/errors';
import { formatScore, reviewLabel, shortId, thresholdRatio } from '@/components/inspections/format';
import {
  DEFAULT_OVERLAY,
  InspectionViewer,
  type OverlayState,
} from '@/components/inspections/InspectionViewer';
import { shortcutBlocked } from '@/components/inspections/keys';
import { Time } from '@/components/inspections/Time';
import { ReviewQueueItem, ReviewVerdict } from './operations';
import styles from './ReviewQueue.module.css';

export interface QueueEntry {
  id: string;
  createdAt: string;
  productModelId: string;
}

interface Loaded {
  data: InspectionViewFieldsFragment;
  /** When its presigned URLs were made (Date.now()). */
  at: number;
}

interface Decision {
  verdict: Verdict;
  note: string | null;
}

interface Notice {
  tone: 'info' | 'fp' | 'error';
  text: string;
  /** The product model page, where an engineer folds false positives into the model. */
  modelHref?: string;
}

/** Presigned download URLs live DOWNLOAD_URL_TTL_SECONDS (300 s by default): refetch before. */
const URL_FRESH_MS = 4 * 60_000;
const NOTE_MAX = 2000;

/** The payload of the dashboard's inspections event stream (src/app/api/events). */
interface InspectionEvent {
  inspectionId: string;
  productModelId: string;
  status: string;
  verdict: Verdict | null;
  flagged: boolean;
}

function isInspectionEvent(value: unknown): value is InspectionEvent {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.inspectionId === 'string' && typeof v.productModelId === 'string';
}

export function ReviewQueue({
  initial,
  first,
  productModels,
  canReview,
  truncatedAt,
}: {
  /** Oldest first. */
  initial: QueueEntry[];
  /** The details of initial[0], fetched with the page. */
  first: InspectionViewFieldsFragment | null;
  productModels: Record<string, string>;
  canReview: boolean;
  /** Set when more flagged inspections wait than the page loaded. */
  truncatedAt: number | null;
}) {
  const [items, setItems] = useState<QueueEntry[]>(initial);
  const [index, setIndex] = useState(0);
  const [finished, setFinished] = useState(false);
  const [details, setDetails] = useState<Record<string, Loaded>>(() =>
    first ? { [first.id]: { data: first, at: Date.now() } } : {},
  );
  const [loadErrors, setLoadErrors] = useState<Record<string, ApiError | Error>>({});
  const [decisions, setDecisions] = useState<Record<string, Decision>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [overlay, setOverlay] = useState<OverlayState>(DEFAULT_OVERLAY);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [unseen, setUnseen] = useState<string[]>([]);
  const [live, setLive] = useState<'connecting' | 'open' | 'reconnecting' | 'failed'>('connecting');
  const known = useRef(new Set(initial.map((i) => i.id)));
  const inflight = useRef(new Set<string>());
  const saving = useRef(false);
  /** Set while a decided item hands over to the next one (see the layout effect). */
  const moving = useRef(false);

  const current = finished ? undefined : items[index];
  const loaded = current ? details[current.id] : undefined;
  const detail = loaded?.data;
  const loadError = current ? loadErrors[current.id] : undefined;
  const decision = current ? decisions[current.id] : undefined;
  const remaining = items.filter((i) => !decisions[i.id]).length;
  const reviewedHere = items.length - remaining;
  const unseenCount = unseen.filter((id) => id !== current?.id).length;
  const note = current ? (notes[current.id] ?? decision?.note ?? detail?.review?.note ?? '') : '';

  const load = useCallback(async (id: string) => {
    if (inflight.current.has(id)) return;
    inflight.current.add(id);
    try {
      const { inspection } = await request(ReviewQueueItem, { id });
      setDetails((d) => ({ ...d, [id]: { data: inspection, at: Date.now() } }));
      setLoadErrors(({ [id]: _, ...rest }) => rest);
    } catch (error) {
      setLoadErrors((e) => ({
        ...e,
        [id]: error instanceof Error ? error : new Error(String(error)),
      }));
    } finally {
      inflight.current.delete(id);
    }
  }, []);

  // The shown item and the next one: fetched when missing or when their URLs are about to expire.
  const currentId = current?.id;
  const nextId = finished ? undefined : items[index + 1]?.id;
  useEffect(() => {
    for (const id of [currentId, nextId]) {
      if (!id || loadErrors[id]) continue;
      const have = details[id];
      if (!have || Date.now() - have.at > URL_FRESH_MS) void load(id);
    }
  }, [currentId, nextId, details, loadErrors, load]);

  // Warm the browser cache with the next image so that advancing shows it at once.
  const nextImage = nextId ? details[nextId]?.data.imageUrl : undefined;
  const nextHeatmap = nextId ? details[nextId]?.data.heatmapUrl : undefined;
  useEffect(() => {
    for (const src of [nextImage, nextHeatmap]) if (src) new window.Image().src = src;
  }, [nextImage, nextHeatmap]);

  // New flagged inspections, live, from every product model of the organization.
  useEffect(() => {
    const events = new EventSource('/api/events?stream=inspections&flaggedOnly=true');
    events.onopen = () => setLive('open');
    events.onmessage = (message: MessageEvent<string>) => {
      let event: unknown;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (!isInspectionEvent(event) || !event.flagged || event.status !== 'COMPLETED') return;
      if (event.verdict !== 'DEFECT' || known.current.has(event.inspectionId)) return;
      known.current.add(event.inspectionId);
      const entry = {
        id: event.inspectionId,
        createdAt: new Date().toISOString(),
        productModelId: event.productModelId,
      };
      setItems((list) => [...list, entry]);
      setUnseen((list) => [...list, entry.id]);
    };
    events.onerror = () =>
      setLive(events.readyState === EventSource.CLOSED ? 'failed' : 'reconnecting');
    return () => events.close();
  }, []);

  const goTo = useCallback(
    (i: number) => {
      if (i < 0 || i >= items.length) return;
      setFinished(false);
      setIndex(i);
      const id = items[i]!.id;
      setUnseen((list) => (list.includes(id) ? list.filter((x) => x !== id) : list));
      // A failed load is retried when the item is shown again.
      setLoadErrors((e) => {
        if (!e[id]) return e;
        const { [id]: _, ...rest } = e;
        return rest;
      });
    },
    [items],
  );

  const decide = useCallback(
    async (verdict: Verdict) => {
      // The ref, not the state: a repeated key must not send the review twice.
      if (!current || !detail || saving.current || !canReview) return;
      saving.current = true;
      setBusy(true);
      setNotice(null);
      const text = note.trim();
      try {
        const { reviewInspection: review } = await mutate(ReviewVerdict, {
          input: { inspectionId: current.id, verdict, note: text || null },
        });
        const decided = { ...decisions, [current.id]: { verdict, note: review.note ?? null } };
        setDecisions(decided);
        const position = `${index + 1} of ${items.length}`;
        setNotice(
          verdict === 'GOOD'
            ? {
                tone: 'fp',
                modelHref: `/models/${current.productModelId}`,
                text:
                  `Item ${position} marked as a false positive. An engineer can fold reviewed ` +
                  'false positives into the model (“Absorb false positives” on the model page) ' +
                  'so that parts like this stop being flagged.',
              }
            : { tone: 'info', text: `Item ${position}: defect confirmed.` },
        );
        // The next undecided item after this one, else the first undecided before it.
        const order = [...items.slice(index + 1), ...items.slice(0, index)];
        const next = order.find((i) => !decided[i.id]);
        if (next) {
          // Saving stays on until the next item is on screen (released by the layout effect
          // below): a key pressed in between must not act on the item just decided.
          moving.current = true;
          goTo(items.indexOf(next));
        } else setFinished(true);
      } catch (error) {
        setNotice({ tone: 'error', text: `The review was not saved: ${errorMessage(error)}` });
      } finally {
        if (!moving.current) saving.current = false;
        setBusy(false);
      }
    },
    [canReview, current, decisions, detail, goTo, index, items, note],
  );

  // The next item has been committed to the screen: verdict keys act on it from now on.
  useLayoutEffect(() => {
    if (moving.current) {
      moving.current = false;
      saving.current = false;
    }
  }, [currentId]);

  // Shortcuts: D, F, H, B, ←, →. None fire while the note (or any text field) has focus.
  // Updated as soon as a render commits (a layout effect): a key pressed right after the next item
  // appears must act on that item, not on the one before.
  const onKey = useRef<(event: KeyboardEvent) => void>(() => undefined);
  useLayoutEffect(() => {
    onKey.current = (event) => {
      if (shortcutBlocked(event)) return;
      // A held key repeats: one verdict per press, never a run over the following items.
      if (event.repeat && /^[dDfF]$/.test(event.key)) return;
      switch (event.key) {
        case 'd':
        case 'D':
          event.preventDefault();
          void decide('DEFECT');
          break;
        case 'f':
        case 'F':
          event.preventDefault();
          void decide('GOOD');
          break;
        case 'h':
        case 'H':
          setOverlay((o) => ({ ...o, heatmap: !o.heatmap }));
          break;
        case 'b':
        case 'B':
          setOverlay((o) => ({ ...o, regions: !o.regions }));
          break;
        case 'ArrowLeft':
          event.preventDefault();
          goTo(finished ? index : index - 1);
          break;
        case 'ArrowRight':
          event.preventDefault();
          if (!finished) goTo(index + 1);
          break;
      }
    };
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey.current(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const firstUnseen = unseen.find((id) => id !== current?.id);

  return (
    <div className={styles.queue}>
      <div className={styles.head}>
        <div>
          <h1>Review queue</h1>
          <p className="muted">
            Flagged inspections nobody has reviewed yet, oldest first.
            {truncatedAt != null &&
              ` More than ${truncatedAt} are waiting: this queue holds the newest ${truncatedAt}.`}
          </p>
        </div>
        <div className={styles.live}>
          <span role="status" aria-live="polite" aria-atomic="true" className={styles.newNotice}>
            {unseenCount > 0 ? `${unseenCount} new flagged` : ''}
          </span>
          {unseenCount > 0 && firstUnseen && (
            <button
              type="button"
              onClick={() => goTo(items.findIndex((i) => i.id === firstUnseen))}
            >
              Show new
            </button>
          )}
          <span className={`muted ${styles.liveState}`}>
            <span className={styles.dot} data-state={live} aria-hidden="true" />
            {live === 'open'
              ? 'Live'
              : live === 'failed'
                ? 'Live updates stopped: reload the page'
                : live === 'reconnecting'
                  ? 'Reconnecting…'
                  : 'Connecting…'}
          </span>
        </div>
      </div>

      {!canReview && (
        <p className={`card ${styles.readonly}`}>
          Your role can look at the queue but not record reviews; ask an administrator for the
          inspector role.
        </p>
      )}

      <div role="status" aria-live="polite" className={styles.noticeSlot}>
        {notice && notice.tone !== 'error' && (
          <p className={notice.tone === 'fp' ? styles.fpNotice : styles.okNotice}>
            {notice.text}
            {notice.modelHref && (
              <>
                {' '}
                <Link href={notice.modelHref}>Open the model page</Link>
              </>
            )}
          </p>
        )}
      </div>
      {notice?.tone === 'error' && (
        <p role="alert" className={`error ${styles.errorNotice}`}>
          {notice.text}
        </p>
      )}

      {items.length === 0 ? (
        <section className={`card ${styles.empty}`}>
          <h2>Nothing to review</h2>
          <p className="muted">
            Every flagged inspection has a review. New ones appear here as soon as they are flagged.
          </p>
          <Link href="/inspections">All inspections</Link>
        </section>
      ) : finished || !current ? (
        <section className={`card ${styles.empty}`}>
          <h2>All caught up</h2>
          <p className="muted">
            {reviewedHere} reviewed in this session. New flagged inspections appear here as they
            arrive.
          </p>
          <button type="button" onClick={() => goTo(index)}>
            Back to the last item <kbd>←</kbd>
          </button>
        </section>
      ) : (
        <div className={styles.layout}>
          <section className={styles.main} aria-labelledby="queue-item-title">
            <nav className={styles.position} aria-label="Queue position">
              <button
                type="button"
                onClick={() => goTo(index - 1)}
                disabled={index === 0}
                aria-keyshortcuts="ArrowLeft"
              >
                ← Previous
              </button>
              <h2 id="queue-item-title" className={styles.itemTitle}>
                Item {index + 1} of {items.length}
                <span className="muted"> · {remaining} left to review</span>
              </h2>
              <button
                type="button"
                onClick={() => goTo(index + 1)}
                disabled={index >= items.length - 1}
                aria-keyshortcuts="ArrowRight"
              >
                Next →
              </button>
            </nav>
            {detail ? (
              <InspectionViewer
                key={detail.id}
                inspection={detail}
                alt={`Inspected part, ${productModels[detail.productModelId] ?? 'product model'}, flagged with score ${formatScore(detail.score)}`}
                overlay={overlay}
                onOverlayChange={setOverlay}
                onImageError={() => void load(detail.id)}
              />
            ) : loadError ? (
              <div className={`card ${styles.loadError}`} role="alert">
                <p>
                  {loadError instanceof ApiError && loadError.code === 'NOT_FOUND'
                    ? 'This inspection no longer exists (its product model may have been deleted).'
                    : `This inspection could not be loaded: ${loadError.message}`}
                </p>
                <div className="row">
                  <button type="button" onClick={() => goTo(index)}>
                    Try again
                  </button>
                  {index < items.length - 1 && (
                    <button type="button" onClick={() => goTo(index + 1)}>
                      Skip
                    </button>
                  )}
                </div>
              </div>
            ) : (
              <div className={styles.placeholder} role="status">
                <span className="spinner" aria-hidden="true" /> Loading the image…
              </div>
            )}
          </section>

          <aside className={styles.side} aria-label="Details and verdict">
            {detail && <Facts detail={detail} productModels={productModels} />}
            {decision ? (
              <p className={styles.decided}>
                You marked this: <strong>{reviewLabel(decision.verdict)}</strong>. Press a verdict
                again to change it.
              </p>
            ) : (
              detail?.review && (
                <p className={styles.decided}>
                  Already reviewed by {detail.review.reviewer?.name ?? 'someone'}:{' '}
                  <strong>{reviewLabel(detail.review.verdict)}</strong>. A verdict here changes it.
                </p>
              )
            )}
            <label className={styles.note}>
              Note (optional)
              <textarea
                rows={3}
                maxLength={NOTE_MAX}
                value={note}
                disabled={!canReview}
                placeholder="What you see: scratch near the hole, dust, glare…"
                onChange={(e) => setNotes((n) => ({ ...n, [current.id]: e.target.value }))}
                onKeyDown={(e) => {
                  // Esc hands the keyboard back to the shortcuts.
                  if (e.key === 'Escape') e.currentTarget.blur();
                }}
                aria-describedby="note-hint"
              />
              <span id="note-hint" className={`muted ${styles.hint}`}>
                Shortcuts are off while you type; Esc leaves the note.
              </span>
            </label>
            <div className={styles.verdicts}>
              <button
                type="button"
                className="danger"
                onClick={() => void decide('DEFECT')}
                disabled={!detail || !canReview}
                aria-busy={busy}
                aria-keyshortcuts="D"
              >
                True defect <kbd>D</kbd>
              </button>
              <button
                type="button"
                className="good"
                onClick={() => void decide('GOOD')}
                disabled={!detail || !canReview}
                aria-busy={busy}
                aria-keyshortcuts="F"
              >
                False positive <kbd>F</kbd>
              </button>
            </div>
            <Shortcuts />
          </aside>
        </div>
      )}
      {(items.length === 0 || finished) && <Shortcuts />}
    </div>
  );
}

function Facts({
  detail,
  productModels,
}: {
  detail: InspectionViewFieldsFragment;
  productModels: Record<string, string>;
}) {
  const ratio = thresholdRatio(detail.score, detail.thresholdValue);
  return (
    <dl className="facts">
      <dt>Score</dt>
      <dd>
        <strong className={styles.score}>{formatScore(detail.score)}</strong>
        {ratio && <span className="muted"> · {ratio}</span>}
      </dd>
      <dt>Threshold</dt>
      <dd>{formatScore(detail.thresholdValue)}</dd>
      <dt>Product model</dt>
      <dd>{productModels[detail.productModelId] ?? shortId(detail.productModelId)}</dd>
      <dt>Model version</dt>
      <dd>{detail.modelVersion ? `v${detail.modelVersion.version}` : '—'}</dd>
      <dt>Source</dt>
      <dd>{detail.source || '—'}</dd>
      <dt>Inspected</dt>
      <dd>
        <Time value={detail.createdAt} />
      </dd>
      <dt>Regions</dt>
      <dd>{detail.regions.length}</dd>
      <dt>Inspection</dt>
      <dd>
        <Link href={`/inspections/${detail.id}`} className="mono">
          {shortId(detail.id)}
        </Link>
      </dd>
    </dl>
  );
}

function Shortcuts() {
  return (
    <section className={styles.shortcuts} aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard</h2>
      <dl>
        <dt>
          <kbd>D</kbd>
        </dt>
        <dd>True defect, then next</dd>
        <dt>
          <kbd>F</kbd>
        </dt>
        <dd>False positive, then next</dd>
        <dt>
          <kbd>←</kbd> <kbd>→</kbd>
        </dt>
        <dd>Previous / next item</dd>
        <dt>
          <kbd>H</kbd>
        </dt>
        <dd>Heatmap on / off</dd>
        <dt>
          <kbd>B</kbd>
        </dt>
        <dd>Region boxes on / off</dd>
        <dt>
          <kbd>Esc</kbd>
        </dt>
        <dd>Leave the note field</dd>
      </dl>
    </section>
  );
}
