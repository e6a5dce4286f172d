import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { OAUTH_SCOPES } from '@todo/contract';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { type ClientRow, oauthRepository } from './oauth.repository.js';
import { OAuthError } from './oauth-error.js';
import { publicHttpsFetch } from './public-fetch.js';
import { redirectUriProblem } from './redirect-uri.js';

/** A metadata document is fetched again after an hour; it is small (5 KiB at most) and must answer in 5 s. */
const DOCUMENT_TTL_MS = 3600_000;
const DOCUMENT_MAX_BYTES = 5 * 1024;
const DOCUMENT_TIMEOUT_MS = 5000;

const redirectUri = z.string().superRefine((uri, ctx) => {
  const problem = redirectUriProblem(uri);
  if (problem) ctx.addIssue({ code: 'custom', message: `redirect URI ${problem}` });
});
const httpsUrl = z
  .string()
  .max(2000)
  .refine((u) => /^https:\/\/[^\s]+$/.test(u), 'must be an https URL');

/**
 * What we read of a client's metadata (RFC 7591 §2), from a registration or a metadata document; other
 * fields are ignored as the RFC says. Only public clients: whatever else is asked for, no secret is issued.
 */
const clientMetadata = z.object({
  redirect_uris: z.array(redirectUri).min(1).max(10),
  client_name: z.string().trim().min(1).max(200).optional(),
  client_uri: httpsUrl.optional(),
  grant_types: z
    .array(z.enum(['authorization_code', 'refresh_token']))
    .max(2)
    .optional(),
  response_types: z.array(z.literal('code')).max(1).optional(),
  scope: z
    .string()
    .max(200)
    .refine(
      (s) => s.split(' ').every((x) => (OAUTH_SCOPES as readonly string[]).includes(x)),
      'unknown scope',
    )
    .optional(),
});

/** Whether a metadata document's URL may be fetched: https with a path, not an address of this network. */
export function metadataDocumentUrlProblem(clientId: string): string | undefined {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' || url.pathname === '/' || url.hash || url.username || url.password)
    return 'must be an https URL with a path';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || isIP(host) !== 0)
    return 'must name a host, not an address';
  return undefined;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'metadata'}: ${issue.message}`;
}

/**
 * Who a client is: registered here through RFC 7591 Dynamic Client Registration (a random client_id), or
 * known by the https URL of its Client ID Metadata Document, which the MCP authorization spec (2026-07-28)
 * prefers: fetched when first seen and again when an hour old.
 */
export class ClientRegistry {
  constructor(
    private readonly db: Database,
    private readonly fetchDocument: typeof fetch = publicHttpsFetch(),
    private readonly now: () => number = Date.now,
  ) {}

  /** RFC 7591 §3: registers a public client and answers its metadata as stored. */
  async register(body: unknown): Promise<Record<string, unknown>> {
    const parsed = clientMetadata.safeParse(body);
    if (!parsed.success) {
      const redirect = parsed.error.issues.some((i) => i.path[0] === 'redirect_uris');
      throw new OAuthError(
        redirect ? 'invalid_redirect_uri' : 'invalid_client_metadata',
        firstIssue(parsed.error),
      );
    }
    const m = parsed.data;
    const clientId = `mcp_${randomBytes(18).toString('base64url')}`;
    await oauthRepository.saveClient(this.db, {
      client_id: clientId,
      client_name: m.client_name ?? null,
      client_uri: m.client_uri ?? null,
      redirect_uris: m.redirect_uris,
      metadata_document: false,
    });
    return {
      client_id: clientId,
      client_id_issued_at: Math.floor(this.now() / 1000),
      redirect_uris: m.redirect_uris,
      ...(m.client_name ? { client_name: m.client_name } : {}),
      ...(m.client_uri ? { client_uri: m.client_uri } : {}),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...(m.scope ? { scope: m.scope } : {}),
    };
  }

  /** The client a client_id names, fetching its metadata document when it is a URL; undefined if unknown. */
  async find(clientId: string): Promise<ClientRow | undefined> {
    if (clientId.length > 500) return undefined;
    const known = await oauthRepository.client(this.db, clientId);
    if (!clientId.startsWith('https://')) return known;
    if (known?.metadata_document && this.now() - known.fetched_at.getTime() < DOCUMENT_TTL_MS) return known;
    return this.fetchMetadataDocument(clientId);
  }

  private async fetchMetadataDocument(clientId: string): Promise<ClientRow> {
    const urlProblem = metadataDocumentUrlProblem(clientId);
    if (urlProblem) throw new OAuthError('invalid_client', `The client_id URL ${urlProblem}.`);
    let text: string;
    try {
      const res = await this.fetchDocument(clientId, {
        redirect: 'error',
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(DOCUMENT_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`status ${res.status}`);
      text = await readCapped(res, DOCUMENT_MAX_BYTES);
    } catch (err) {
      throw new OAuthError(
        'invalid_client',
        `The client's metadata document could not be read (${(err as Error).message}).`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OAuthError('invalid_client', "The client's metadata document is not JSON.");
    }
    const parsed = clientMetadata
      .extend({ client_id: z.literal(clientId), token_endpoint_auth_method: z.literal('none').optional() })
      .safeParse(json);
    if (!parsed.success)
      throw new OAuthError(
        'invalid_client',
        `The client's metadata document is not usable: ${firstIssue(parsed.error)}.`,
      );
    const row = {
      client_id: clientId,
      client_name: parsed.data.client_name ?? null,
      client_uri: parsed.data.client_uri ?? null,
      redirect_uris: parsed.data.redirect_uris,
      metadata_document: true,
    };
    await oauthRepository.saveClient(this.db, row);
    return { ...row, fetched_at: new Date(this.now()) };
  }
}

/** The body as text, refusing one larger than `max` bytes without reading the rest. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (Number(res.headers.get('content-length') ?? 0) > max) throw new Error('larger than 5 KiB');
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new Error('larger than 5 KiB');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
