/**
 * Live events for the browser as Server-Sent Events: the dashboard's server subscribes to the API
 * over graphql-ws with the session token and forwards each event as one `data:` line.
 *   /api/events?stream=training&productModelId=...
 *   /api/events?stream=inspections&productModelId=...&flaggedOnly=true
 */
import { cookies } from 'next/headers';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { API_URL, TOKEN_COOKIE } from '@/lib/config';

export const dynamic = 'force-dynamic';

const STREAMS: Record<string, { field: string; query: string }> = {
  training: {
    field: 'trainingProgress',
    query: `subscription($p: ID) { trainingProgress(productModelId: $p) {
      trainingJobId modelVersionId productModelId status phase done total progress etaSeconds error } }`,
  },
  ready: {
    field: 'modelVersionReady',
    query: `subscription($p: ID) { modelVersionReady(productModelId: $p) { modelVersionId productModelId version } }`,
  },
  inspections: {
    field: 'inspectionCompleted',
    query: `subscription($p: ID, $f: Boolean!) { inspectionCompleted(productModelId: $p, flaggedOnly: $f) {
      inspectionId productModelId modelVersionId status score verdict flagged } }`,
  },
};

async function sessionValid(token: string): Promise<boolean> {
  try {
    const res = await fetch(`${API_URL}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
      cache: 'no-store',
    });
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    return !body.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  } catch {
    // The API is unreachable: let the stream try (and the browser retry) rather than sign out.
    return true;
  }
}

export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const stream = STREAMS[url.searchParams.get('stream') ?? ''];
  if (!stream) return new Response('unknown stream', { status: 400 });
  const token = (await cookies()).get(TOKEN_COOKIE)?.value;
  if (!token) return new Response('sign in first', { status: 401 });
  // An expired or revoked session answers 401 here, not a stream that ends at once: browsers
  // reconnect an ended EventSource forever, but give up on a non-200 answer.
  if (!(await sessionValid(token))) return new Response('sign in again', { status: 401 });
  const productModelId = url.searchParams.get('productModelId') || null;
  const flaggedOnly = url.searchParams.get('flaggedOnly') === 'true';
  const encoder = new TextEncoder();
  const client = createClient({
    url: `${API_URL.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 3,
  });
  let dispose = () => undefined as void;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (line: string) => {
        try {
          controller.enqueue(encoder.encode(line));
        } catch {
          // the browser went away
        }
      };
      send(': connected\n\n');
      const keepAlive = setInterval(() => send(': ping\n\n'), 15_000);
      const stop = client.subscribe(
        { query: stream.query, variables: { p: productModelId, f: flaggedOnly } },
        {
          next: (result) => {
            if (result.errors?.length) {
              send(
                `event: error\ndata: ${JSON.stringify({ message: result.errors[0]!.message })}\n\n`,
              );
              return;
            }
            const data = (result.data as Record<string, unknown> | null)?.[stream.field];
            if (data) send(`data: ${JSON.stringify(data)}\n\n`);
          },
          error: (error) => {
            send(
              `event: error\ndata: ${JSON.stringify({ message: String((error as Error)?.message ?? error) })}\n\n`,
            );
            close();
          },
          complete: () => close(),
        },
      );
      const close = () => {
        clearInterval(keepAlive);
        stop();
        void client.dispose();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      dispose = close;
      request.signal.addEventListener('abort', close);
    },
    cancel() {
      dispose();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    },
  });
}
