/**
 * The one error policy, as controller-rs's `error_policy`: a reconcile fails only by throwing, and this module
 * decides for every error which condition shows it, how long its retry may wait, and the label it is counted
 * under. A TenantError is a failure the user can read about in the TodoApp's status; anything else (the API
 * server refused or dropped a request) is retried the same way and counted under its class name.
 */
import type { ConditionType } from '../crd/todoapp.js';

/** Waiting on the user (a Secret to create, a spec to fix): they expect to see their fix within this. */
const USER_FIX_MAX_DELAY_MS = 30_000;
/** Waiting on a service (Kafka, PostgreSQL, the API server) to come back: back off further. */
const OUTAGE_MAX_DELAY_MS = 5 * 60_000;

const POLICY = {
  SecretNotFound: { condition: 'DatabaseReady', maxDelayMs: USER_FIX_MAX_DELAY_MS },
  SecretKeyMissing: { condition: 'DatabaseReady', maxDelayMs: USER_FIX_MAX_DELAY_MS },
  ManagedDatabaseUnavailable: { condition: 'DatabaseReady', maxDelayMs: OUTAGE_MAX_DELAY_MS },
  KafkaUnavailable: { condition: 'TopicsReady', maxDelayMs: OUTAGE_MAX_DELAY_MS },
  TopicsRejected: { condition: 'TopicsReady', maxDelayMs: USER_FIX_MAX_DELAY_MS },
  KafkaCredentialsMissing: { condition: 'TopicsReady', maxDelayMs: USER_FIX_MAX_DELAY_MS },
  KafkaAuthenticationFailed: { condition: 'TopicsReady', maxDelayMs: USER_FIX_MAX_DELAY_MS },
  InvalidConfiguration: { condition: 'Ready', maxDelayMs: USER_FIX_MAX_DELAY_MS },
  DaprNotInstalled: { condition: 'Ready', maxDelayMs: OUTAGE_MAX_DELAY_MS },
  GatewayAPINotInstalled: { condition: 'RouteAccepted', maxDelayMs: USER_FIX_MAX_DELAY_MS },
  ApplyFailed: { condition: 'Ready', maxDelayMs: OUTAGE_MAX_DELAY_MS },
} as const satisfies Record<string, { condition: ConditionType; maxDelayMs: number }>;

export type FailureReason = keyof typeof POLICY;

/** A failure the TodoApp's status reports: `reason` is the condition's reason, the message tells what to do. */
export class TenantError extends Error {
  override readonly name = 'TenantError';
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }

  /** The condition that shows this failure (Ready repeats it when nothing earlier failed). */
  get condition(): ConditionType {
    return POLICY[this.reason].condition;
  }
}

export interface RetryDecision {
  /** The `error` label of todo_operator_reconcile_errors_total. */
  label: string;
  /** The per-key exponential backoff is capped here. */
  maxDelayMs: number;
}

export function errorPolicy(err: unknown): RetryDecision {
  if (err instanceof TenantError) return { label: err.reason, maxDelayMs: POLICY[err.reason].maxDelayMs };
  return { label: err instanceof Error ? err.name : 'Error', maxDelayMs: OUTAGE_MAX_DELAY_MS };
}
