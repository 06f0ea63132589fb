import styles from './settings.module.css';

export type NoticeValue = { ok: boolean; text: string } | null;

/** The result of an action: a polite status on success, an alert on failure. */
export function Notice({ notice }: { notice: NoticeValue }) {
  return (
    <div aria-live="polite" className={styles.notice}>
      {notice && (
        <p role={notice.ok ? 'status' : 'alert'} className={notice.ok ? styles.ok : 'error'}>
          {notice.text}
        </p>
      )}
    </div>
  );
}
