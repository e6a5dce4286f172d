import { z } from 'zod';

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s ? s : undefined));

/** One entry of TRUST_PROXY: an IPv4 or IPv6 address or CIDR, or a range proxy-addr names. */
const TRUSTED_PEER =
  /^(loopback|linklocal|uniquelocal|\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9a-fA-F.]*:[0-9a-fA-F:.]*(\/\d{1,3})?)$/;

/** Every environment variable the API reads, validated once at boot; the operator renders tenants' env against it. */
export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    DATA_DIR: z.string().default('./.data'),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    DB_PREPARED_STATEMENTS: z
      .enum(['true', 'false'], 'must be true or false')
      .default('true')
      .transform((v) => v === 'true'),
    EVENT_BUS: z.enum(['memory', 'dapr', 'kafka']).default('memory'),
    KAFKA_BROKERS: optionalString,
    DAPR_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(3500),
    PUBSUB_NAME: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a Dapr component name')
      .default('kafka-pubsub'),
    TOPIC_PREFIX: optionalString.pipe(
      z
        .string()
        .regex(/^[a-zA-Z0-9._-]{1,100}$/, 'must be 1-100 characters of letters, digits, ".", "_" or "-"')
        .optional(),
    ),
    JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    JWT_JWKS_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    JWT_ISSUER: optionalString,
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(31_536_000).default(604_800),
    REMINDER_BACKEND: z.enum(['database', 'dapr-jobs']).default('database'),
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
    STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
    DAPR_API_TOKEN: optionalString,
    APP_API_TOKEN: optionalString,
    CONSOLE_DIR: optionalString,
    /** The Dapr state store (state.postgresql) that keeps chat conversations; absent: the database keeps them. */
    STATESTORE_NAME: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a Dapr component name')
        .optional(),
    ),
    /** An OpenAI-compatible chat-completions API the assistant plans with; absent: the deterministic planner. */
    LLM_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    LLM_API_KEY: optionalString,
    LLM_MODEL: optionalString.pipe(z.string().max(200).optional()),
    /** Model round trips per chat message (each may call tools) before the assistant stops. */
    LLM_MAX_STEPS: z.coerce.number().int().min(1).max(20).default(6),
    LLM_MAX_TOKENS: z.coerce.number().int().min(16).max(32_000).default(1024),
    /** The whole of one message's model work, every step included. */
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
    /**
     * Which peers' `X-Forwarded-For` is believed for the client's address (Fastify's `trustProxy`): `false`
     * (default: the peer is the client), `true` (anyone's: only when nothing but a proxy can reach the API), or
     * addresses, CIDRs and `loopback` / `linklocal` / `uniquelocal` (private ranges), comma-separated.
     */
    TRUST_PROXY: optionalString.pipe(
      z
        .string()
        .refine(
          (v) =>
            v === 'true' || v === 'false' || v.split(',').every((entry) => TRUSTED_PEER.test(entry.trim())),
          'must be true, false, or comma-separated addresses, CIDRs, loopback, linklocal or uniquelocal',
        )
        .optional()
        .transform((v): boolean | string =>
          v === undefined || v === 'false' ? false : v === 'true' ? true : v,
        ),
    ),
    /** Client registrations (`POST /oauth/register`) one client address may make per hour, per API process; 0: no limit. */
    OAUTH_REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(0).max(100_000).default(60),
  })
  .superRefine((c, ctx) => {
    if (c.EVENT_BUS === 'kafka' && !c.KAFKA_BROKERS) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'is required when EVENT_BUS=kafka' });
    }
    // Behind Dapr, /events/* and /job/* are reachable through the tenant's host: only the sidecar may call them.
    if ((c.EVENT_BUS === 'dapr' || c.REMINDER_BACKEND === 'dapr-jobs') && !c.APP_API_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['APP_API_TOKEN'],
        message:
          'is required when EVENT_BUS=dapr or REMINDER_BACKEND=dapr-jobs (the token Dapr sends as dapr-api-token)',
      });
    }
    if (c.LLM_BASE_URL && !c.LLM_MODEL) {
      ctx.addIssue({ code: 'custom', path: ['LLM_MODEL'], message: 'is required when LLM_BASE_URL is set' });
    }
    if (c.JWT_JWKS_URL && !c.JWT_ISSUER) {
      ctx.addIssue({ code: 'custom', path: ['JWT_ISSUER'], message: 'is required when JWT_JWKS_URL is set' });
    }
  });

export type Config = z.infer<typeof configSchema>;

/** The name of an environment variable the API reads; anything else is a typo the compiler catches. */
export type ApiEnvVariable = keyof z.input<typeof configSchema>;
/** Environment variables as a deployment renders them for the API (ConfigMap data, Secret data, `env`). */
export type ApiEnv = { [K in ApiEnvVariable]?: string };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment (the API passes `process.env`; the operator the env it renders); throws a ConfigError
 * whose message is one line naming the variable and the rule.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? 'environment');
  const got = env[name];
  const shown =
    got === undefined ? '' : ` (got ${JSON.stringify(got.length > 60 ? `${got.slice(0, 60)}…` : got)})`;
  const message =
    name === 'JWT_SECRET' || name === 'LLM_API_KEY' ? issue.message : `${issue.message}${shown}`;
  throw new ConfigError(`invalid configuration: ${name} ${message.replace(/^Invalid input: /, '')}`);
}

/** The brokers of `KAFKA_BROKERS`, one per comma-separated entry. */
export function kafkaBrokers(config: Config): string[] {
  return (config.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}
