/** Operator configuration from environment variables, validated once at start-up. */
import { hostname } from 'node:os';
import { z } from 'zod';
import type { WatchdogConfig } from '../watchdog/consumer-watchdog.js';

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

const schema = z.object({
  OPERATOR_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional(),
  OPERATOR_WORKERS: int(16, 1, 64),
  OPERATOR_RESYNC_SECONDS: int(300, 5, 86_400),
  OPERATOR_HTTP_PORT: int(8081, 0, 65_535),
  OPERATOR_KUBE_QPS: int(50, 1, 10_000),
  OPERATOR_KUBE_BURST: int(300, 1, 10_000),
  OPERATOR_CONSUMER_CHECK_SECONDS: int(30, 1, 3600),
  OPERATOR_CONSUMER_STALL_SECONDS: int(180, 0, 86_400),
  OPERATOR_CONSUMER_RESTART_COOLDOWN_SECONDS: int(600, 0, 86_400),
  LEADER_ELECTION: z.enum(['true', 'false']).default('true'),
  LEASE_NAMESPACE: z.string().min(1).optional(),
  POD_NAMESPACE: z.string().min(1).optional(),
  POD_NAME: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
});

/** The environment variables the operator reads (the chart may set no others). */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

export interface OperatorConfig {
  databaseUrl: string | undefined;
  workers: number;
  resyncMs: number;
  httpPort: number;
  /** Pace of the reconciles' API requests (informer lists and watches are not paced). */
  kubeRateLimit: { qps: number; burst: number };
  /** The consumer watchdog (watchdog/consumer-watchdog.ts); `stallMs` 0 turns it off. */
  consumerWatchdog: WatchdogConfig;
  leaderElection: boolean;
  leaseNamespace: string | undefined;
  identity: string;
  logLevel: string;
}

/** Raised with one line naming the variable and what is expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): OperatorConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0])}: ${issue?.message}`);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.OPERATOR_DATABASE_URL,
    workers: c.OPERATOR_WORKERS,
    resyncMs: c.OPERATOR_RESYNC_SECONDS * 1000,
    httpPort: c.OPERATOR_HTTP_PORT,
    kubeRateLimit: { qps: c.OPERATOR_KUBE_QPS, burst: c.OPERATOR_KUBE_BURST },
    consumerWatchdog: {
      checkMs: c.OPERATOR_CONSUMER_CHECK_SECONDS * 1000,
      stallMs: c.OPERATOR_CONSUMER_STALL_SECONDS * 1000,
      cooldownMs: c.OPERATOR_CONSUMER_RESTART_COOLDOWN_SECONDS * 1000,
    },
    leaderElection: c.LEADER_ELECTION === 'true',
    leaseNamespace: c.LEASE_NAMESPACE ?? c.POD_NAMESPACE,
    identity: c.POD_NAME ?? `${hostname()}-${process.pid}`,
    logLevel: c.LOG_LEVEL,
  };
}
