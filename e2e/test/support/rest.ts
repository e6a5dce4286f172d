import { openEventStream } from '@todo/infra/testing';

/** The public REST API of one replica, as a user (bearer token) sees it. */
export interface Rest {
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
}

export function restClient(baseUrl: () => string, token: string): Rest {
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${baseUrl()}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (res.status === 204 ? undefined : await res.json()) as T;
    },
  };
}

export async function signUp(baseUrl: string, email: string): Promise<{ token: string; userId: string }> {
  const res = await fetch(`${baseUrl}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'long enough' }),
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  const { token, user } = (await res.json()) as { token: string; user: { id: string } };
  return { token, userId: user.id };
}

export interface SseEvent {
  readonly event: string;
  readonly data: { id?: string; taskId?: string } & Record<string, unknown>;
}

/** An open `GET /stream`: the named events received so far; resolves once the server said `: connected`. */
export async function openStream(baseUrl: string, token: string) {
  const stream = await openEventStream(`${baseUrl}/api/v1/stream`, { authorization: `Bearer ${token}` });
  if (stream.status !== 200) throw new Error(`GET /stream: ${stream.status}`);
  await stream.connected;
  return {
    get events(): SseEvent[] {
      return stream.messages.flatMap(({ event, data }) =>
        event && data ? [{ event, data: JSON.parse(data) as SseEvent['data'] }] : [],
      );
    },
    close: stream.close,
  };
}
