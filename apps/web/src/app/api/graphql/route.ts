/**
 * The browser's GraphQL endpoint: forwards the request (JSON or multipart uploads, streamed) to the
 * API with the session token from the httpOnly cookie.
 */
import { cookies } from 'next/headers';
import { API_URL, TOKEN_COOKIE } from '@/lib/config';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const token = (await cookies()).get(TOKEN_COOKIE)?.value;
  const contentType = request.headers.get('content-type') ?? 'application/json';
  const headers: Record<string, string> = { 'content-type': contentType };
  if (token) headers.authorization = `Bearer ${token}`;
  // Apollo's CSRF rule for multipart; this route only accepts same-origin requests (below).
  if (contentType.startsWith('multipart/form-data')) headers['apollo-require-preflight'] = 'true';
  // Same-origin only: the browser's Origin must name this server's Host (a cookie alone is not
  // enough to act: another site cannot make the browser send this request with our Origin).
  const origin = request.headers.get('origin');
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  if (origin && (!host || new URL(origin).host !== host))
    return Response.json(
      { errors: [{ message: 'cross-origin request refused' }] },
      { status: 403 },
    );
  try {
    const res = await fetch(`${API_URL}/graphql`, {
      method: 'POST',
      headers,
      body: request.body,
      // Streams the upload through instead of buffering it.
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    return new Response(res.body, {
      status: res.status,
      headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' },
    });
  } catch {
    return Response.json(
      {
        errors: [{ message: 'the API cannot be reached', extensions: { code: 'API_UNREACHABLE' } }],
      },
      { status: 502 },
    );
  }
}
