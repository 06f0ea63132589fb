'use client';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { graphql } from '@/gql';
import type { SettingsWebhooksQuery, WebhookEvent } from '@/gql/graphql';
import { mutate } from '@/lib/client';
import { ConfirmButton } from './ConfirmButton';
import { DateTime } from './DateTime';
import { Notice } from './Notice';
import { useAction } from './useAction';
import { SecretReveal } from './SecretReveal';
import { WebhookDeliveries } from './WebhookDeliveries';
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_TEXT } from './webhook-events';
import styles from './settings.module.css';

const CreateWebhook = graphql(`
  mutation SettingsCreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      secret
      webhook {
        id
        url
      }
    }
  }
`);

const UpdateWebhook = graphql(`
  mutation SettingsUpdateWebhook($input: UpdateWebhookInput!) {
    updateWebhook(input: $input) {
      id
      active
    }
  }
`);

const RotateWebhookSecret = graphql(`
  mutation SettingsRotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      secret
      webhook {
        id
      }
    }
  }
`);

const DeleteWebhook = graphql(`
  mutation SettingsDeleteWebhook($id: ID!) {
    deleteWebhook(id: $id) {
      id
    }
  }
`);

type Webhook = SettingsWebhooksQuery['webhooks']['edges'][number]['node'];

export function WebhooksManager({ webhooks }: { webhooks: Webhook[] }) {
  const router = useRouter();
  const urlId = useId();
  const descriptionId = useId();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['INSPECTION_FLAGGED']);
  const { busy: creating, notice, setNotice, run } = useAction('The webhook was not created: ');
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setCreated(null);
    if (events.length === 0) {
      setNotice({ ok: false, text: 'Choose at least one event.' });
      return;
    }
    await run(async () => {
      const { createWebhook } = await mutate(CreateWebhook, {
        input: { url: url.trim(), events, description: description.trim() || null },
      });
      setCreated({ url: createWebhook.webhook.url, secret: createWebhook.secret });
      setUrl('');
      setDescription('');
      router.refresh();
    });
  }

  return (
    <>
      <section className="card" aria-labelledby="create-webhook-title">
        <h2 id="create-webhook-title">Add a webhook</h2>
        <p className="muted">
          Events are POSTed as JSON and signed: check the <code>Padim-Signature</code> header
          (HMAC-SHA256 of <code>&lt;t&gt;.&lt;body&gt;</code>) with the signing secret.
        </p>
        <form className="stack" onSubmit={create}>
          <label htmlFor={urlId}>
            Endpoint URL
            <input
              id={urlId}
              type="url"
              required
              placeholder="https://mes.example.com/hooks/padim"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          </label>
          <fieldset className={styles.events}>
            <legend>Events</legend>
            {WEBHOOK_EVENTS.map((ev) => (
              <label key={ev} className={styles.check}>
                <input
                  type="checkbox"
                  name="events"
                  value={ev}
                  checked={events.includes(ev)}
                  onChange={(e) =>
                    setEvents((prev) =>
                      e.target.checked ? [...prev, ev] : prev.filter((x) => x !== ev),
                    )
                  }
                />
                <span>
                  <code>{WEBHOOK_EVENT_TEXT[ev].wire}</code>{' '}
                  <span className="muted">{WEBHOOK_EVENT_TEXT[ev].text}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label htmlFor={descriptionId}>
            Description (optional)
            <input
              id={descriptionId}
              maxLength={500}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </label>
          <div>
            <button type="submit" className="primary" disabled={creating}>
              {creating ? 'Adding…' : 'Add webhook'}
            </button>
          </div>
        </form>
        <Notice notice={notice} />
        {created && (
          <SecretReveal
            title={`Webhook for ${created.url} added`}
            what="signing secret"
            secret={created.secret}
            onDone={() => setCreated(null)}
          />
        )}
      </section>

      <section className="card" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">Webhooks</h2>
        {webhooks.length === 0 ? (
          <p className="muted">No webhooks yet.</p>
        ) : (
          <ul className={styles.webhooks} data-testid="webhooks">
            {webhooks.map((w) => (
              <WebhookItem key={w.id} webhook={w} onChanged={() => router.refresh()} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function WebhookItem({ webhook, onChanged }: { webhook: Webhook; onChanged: () => void }) {
  const deliveriesId = useId();
  const { busy, notice, run } = useAction();
  const [secret, setSecret] = useState<string | null>(null);
  const [showDeliveries, setShowDeliveries] = useState(false);

  const act = (work: () => Promise<string | null>) =>
    run(async () => {
      const text = await work();
      onChanged();
      return text;
    });

  return (
    <li className={styles.webhook} data-testid="webhook">
      <div className="spread">
        <span className={`mono ${styles.url}`}>{webhook.url}</span>
        <span className={`badge ${webhook.active ? 'good' : ''}`}>
          {webhook.active ? 'Active' : 'Inactive'}
        </span>
      </div>
      {webhook.description && <p className={styles.description}>{webhook.description}</p>}
      <ul className={styles.eventList} aria-label="Events">
        {webhook.events.map((ev) => (
          <li key={ev} className="badge" title={WEBHOOK_EVENT_TEXT[ev].text}>
            {WEBHOOK_EVENT_TEXT[ev].wire}
          </li>
        ))}
      </ul>
      <p className="muted">
        Added <DateTime value={webhook.createdAt} />
      </p>
      <div className="row">
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              await mutate(UpdateWebhook, { input: { id: webhook.id, active: !webhook.active } });
              return webhook.active ? 'Deactivated: no more deliveries.' : 'Activated.';
            })
          }
        >
          {webhook.active ? 'Deactivate' : 'Activate'}
        </button>
        <ConfirmButton
          confirm="Yes, rotate"
          label={`Rotate the signing secret of ${webhook.url}`}
          busy={busy}
          onConfirm={() =>
            act(async () => {
              const { rotateWebhookSecret } = await mutate(RotateWebhookSecret, {
                id: webhook.id,
              });
              setSecret(rotateWebhookSecret.secret);
              return null;
            })
          }
        >
          Rotate secret
        </ConfirmButton>
        <ConfirmButton
          confirm="Yes, delete"
          label={`Delete the webhook ${webhook.url}`}
          busy={busy}
          onConfirm={() =>
            act(async () => {
              await mutate(DeleteWebhook, { id: webhook.id });
              return null;
            })
          }
        >
          Delete
        </ConfirmButton>
        <button
          type="button"
          aria-expanded={showDeliveries}
          aria-controls={deliveriesId}
          onClick={() => setShowDeliveries((v) => !v)}
        >
          {showDeliveries ? 'Hide deliveries' : 'Delivery log'}
        </button>
      </div>
      <Notice notice={notice} />
      {secret && (
        <SecretReveal
          title="New signing secret"
          what="signing secret"
          secret={secret}
          onDone={() => setSecret(null)}
        />
      )}
      <div id={deliveriesId}>{showDeliveries && <WebhookDeliveries webhookId={webhook.id} />}</div>
    </li>
  );
}
