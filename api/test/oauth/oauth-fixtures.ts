import type { AddressInfo } from 'node:net';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { OAuthService } from '../../src/oauth/oauth.service.js';
import { type SharedTestApp, useTestApp } from '../support/test-app.js';

/** The redirect URI a native MCP client registers: loopback, its port chosen when it runs. */
export const REDIRECT_URI = 'http://127.0.0.1:1/callback';

/** An MCP client's OAuth state kept in memory, as the SDK's OAuthClientProvider asks a client to keep it. */
export class MemoryOAuthClient implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;

  constructor(
    readonly redirectUrl: string = REDIRECT_URI.replace(':1/', ':45123/'),
    readonly clientMetadataUrl?: string,
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Test MCP client',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state() {
    return 'state-from-the-client';
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

export interface OAuthTestServer {
  readonly t: SharedTestApp;
  readonly base: string;
  readonly oauth: OAuthService;
  /** Every log line the server wrote. */
  readonly log: string[];
  /** Metadata documents the fake network serves, by URL. */
  readonly documents: Map<string, unknown>;
}

/** A listening API (the same database as `t`) that logs into `log` and fetches metadata documents from `documents`. */
export function useOAuthServer(): OAuthTestServer {
  const t = useTestApp('pglite');
  const log: string[] = [];
  const documents = new Map<string, unknown>();
  let server: FastifyInstance;
  let base = '';
  let oauth: OAuthService;
  beforeAll(async () => {
    const logger = pino({ level: 'trace' }, { write: (line: string) => log.push(line) });
    const clientMetadataFetch = (async (input: string | URL | Request) => {
      const doc = documents.get(String(input));
      return doc === undefined
        ? new Response('not found', { status: 404 })
        : new Response(typeof doc === 'string' ? doc : JSON.stringify(doc), {
            headers: { 'content-type': 'application/json' },
          });
    }) as typeof fetch;
    ({ server, oauth } = await buildApp({ config: t.config, db: t.db, logger, clientMetadataFetch }));
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());
  return {
    t,
    log,
    documents,
    get base() {
      return base;
    },
    get oauth() {
      return oauth;
    },
  };
}

/** The browser's part: follow the authorization URL to the consent page, and answer as the signed-in user. */
export async function consent(
  s: OAuthTestServer,
  authorizationUrl: URL,
  auth: { authorization: string },
  approve = true,
): Promise<URL> {
  const res = await fetch(authorizationUrl, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  const consentPage = new URL(res.headers.get('location')!, s.base);
  const id = consentPage.searchParams.get('request')!;
  const decision = await fetch(`${s.base}/api/v1/oauth/requests/${id}/decision`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ approve }),
  });
  if (decision.status !== 200)
    throw new Error(`decision answered ${decision.status}: ${await decision.text()}`);
  return new URL(((await decision.json()) as { redirectTo: string }).redirectTo);
}

/** Connects the SDK's client to `/mcp` with the provider's tokens. */
export async function connectMcp(s: OAuthTestServer, provider: OAuthClientProvider): Promise<Client> {
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${s.base}/mcp`), { authProvider: provider }),
  );
  return client;
}

/** Posts an OAuth form to an endpoint and answers status and JSON. */
export async function postForm(
  s: OAuthTestServer,
  path: string,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${s.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
