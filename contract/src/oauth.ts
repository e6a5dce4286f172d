import { z } from 'zod';

/** The scopes an MCP client may ask for: reading tasks, and changing them. */
export const OAUTH_SCOPES = ['tasks:read', 'tasks:write'] as const;
export const oauthScope = z.enum(OAUTH_SCOPES);
export type OAuthScope = z.infer<typeof oauthScope>;

/** An app's own description of itself, as registered or published: unverified, shown as such. */
const clientFields = {
  clientId: z
    .string()
    .meta({ description: 'The client_id (a URL for a client known by its metadata document)' }),
  clientName: z
    .string()
    .nullable()
    .meta({ description: 'The name the app gave itself; nothing verifies it' }),
  clientUri: z.string().nullable(),
};

/** Answer of `GET /oauth/requests/{id}`: what the consent page asks the user to approve. */
export const oauthAuthorizationRequest = z
  .object({
    ...clientFields,
    redirectUri: z.string().meta({ description: 'Where the app is sent back with the answer' }),
    scopes: z.array(oauthScope),
    resource: z.string().meta({ description: 'The MCP endpoint the access would be for' }),
    expiresAt: z.string(),
  })
  .meta({ id: 'OAuthAuthorizationRequest' });
export type OAuthAuthorizationRequest = z.infer<typeof oauthAuthorizationRequest>;

/** Body of `POST /oauth/requests/{id}/decision`. */
export const oauthDecisionBody = z.strictObject({ approve: z.boolean() }).meta({ id: 'OAuthDecision' });

/** Answer of a decision: where the browser goes next (the app's redirect URI with a code, or an error). */
export const oauthDecisionResult = z
  .object({ redirectTo: z.string().meta({ description: 'Absolute URL to navigate to' }) })
  .meta({ id: 'OAuthDecisionResult' });
export type OAuthDecisionResult = z.infer<typeof oauthDecisionResult>;

/** One app the user authorized (`GET /oauth/grants`); revoking it ends its tokens at once. */
export const oauthGrant = z
  .object({
    id: z.uuid(),
    ...clientFields,
    scopes: z.array(oauthScope),
    createdAt: z.string(),
    lastUsedAt: z.string().meta({ description: 'When it last obtained a token' }),
  })
  .meta({ id: 'OAuthGrant' });
export type OAuthGrant = z.infer<typeof oauthGrant>;
