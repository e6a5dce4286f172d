import type { FieldError } from '@todo/contract';
import { NetworkError, ProblemError } from './errors.js';
import { serverAnswered } from './server-answers.js';

export interface RequestOptions {
  query?: URLSearchParams;
  body?: unknown;
  headers?: Record<string, string>;
  /** Anonymous requests (login, signup) treat 401 as an answer, not as an expired session. */
  anonymous?: boolean;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

export interface ApiClientOptions {
  baseUrl?: string;
  token: () => string | null;
  /** Called once per 401 on an authenticated request: the session is over. */
  onUnauthorized: () => void;
}

/** Thin fetch wrapper for `/api/v1`: JSON in and out, failures thrown as NetworkError or ProblemError. */
export class ApiClient {
  readonly baseUrl: string;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl ?? '/api/v1';
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    const token = this.options.token();
    if (token && !opts.anonymous) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const qs = opts.query?.toString();
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}${qs ? `?${qs}` : ''}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
    } catch (err) {
      throw new NetworkError(err);
    }
    // A 5xx is the server still in trouble; anything else means it is back.
    if (res.status < 500) serverAnswered();
    if (!res.ok) {
      if (res.status === 401 && !opts.anonymous) this.options.onUnauthorized();
      throw await toProblem(res);
    }
    const data = res.status === 204 ? undefined : await res.json().catch(() => undefined);
    return { data: data as T, etag: res.headers.get('etag') };
  }

  /** POSTs JSON asking for Server-Sent Events and returns the response to read as it arrives; failures as `request`. */
  async openStream(path: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      'content-type': 'application/json',
    };
    const token = this.options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    } catch (err) {
      throw new NetworkError(err);
    }
    if (res.status < 500) serverAnswered();
    if (!res.ok) {
      if (res.status === 401) this.options.onUnauthorized();
      throw await toProblem(res);
    }
    return res;
  }

  async get<T>(path: string, query?: URLSearchParams): Promise<T> {
    return (await this.request<T>('GET', path, { query })).data;
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>('POST', path, { body })).data;
  }

  async delete(path: string): Promise<void> {
    await this.request<void>('DELETE', path);
  }

  /** A response body as a Blob with the file name the server suggests (exports). */
  async download(path: string, query?: URLSearchParams): Promise<{ blob: Blob; filename: string | null }> {
    const headers: Record<string, string> = {};
    const token = this.options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}${query ? `?${query}` : ''}`, { headers });
    } catch (err) {
      throw new NetworkError(err);
    }
    if (!res.ok) {
      if (res.status === 401) this.options.onUnauthorized();
      throw await toProblem(res);
    }
    const disposition = res.headers.get('content-disposition') ?? '';
    return { blob: await res.blob(), filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null };
  }

  /**
   * Sends a file as the raw body of a POST, reporting upload progress (fetch cannot), and reads the JSON
   * answer; failures are thrown as NetworkError or ProblemError like every other request.
   */
  upload<T>(
    path: string,
    body: Blob,
    contentType: string,
    onProgress: (fraction: number) => void,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${this.baseUrl}${path}`);
      xhr.setRequestHeader('content-type', contentType);
      xhr.setRequestHeader('accept', 'application/json');
      const token = this.options.token();
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onerror = () => reject(new NetworkError());
      xhr.onload = () => {
        const res = new Response(xhr.status === 204 ? null : xhr.responseText, {
          status: xhr.status,
          statusText: xhr.statusText,
        });
        if (res.ok) res.json().then(resolve, () => resolve(undefined as T));
        else {
          if (xhr.status === 401) this.options.onUnauthorized();
          toProblem(res).then(reject);
        }
      };
      xhr.send(body);
    });
  }
}

async function toProblem(res: Response): Promise<ProblemError> {
  // A proxy or a crashed upstream may answer with HTML; fall back to the status line.
  const body = (await res.json().catch(() => null)) as {
    title?: unknown;
    detail?: unknown;
    errors?: unknown;
  } | null;
  const title = typeof body?.title === 'string' ? body.title : res.statusText;
  const detail = typeof body?.detail === 'string' ? body.detail : undefined;
  const errors: FieldError[] = Array.isArray(body?.errors)
    ? body.errors
        .filter((e): e is FieldError => typeof e?.path === 'string' && typeof e?.message === 'string')
        .map((e) => ({ path: e.path, message: e.message }))
    : [];
  return new ProblemError(res.status, title, detail, errors);
}
