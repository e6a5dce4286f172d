/**
 * Leader election on a coordination.k8s.io Lease, as client-go does it: the holder renews every `renewMs`;
 * another candidate takes the lease once it has gone unrenewed for `leaseDurationMs`. Updates carry the
 * resourceVersion, so two candidates can never both win. A holder whose renewals fail (the API server
 * unreachable, a 5xx) keeps leading and retrying until `renewDeadlineMs` after its last successful renewal,
 * then steps down — before anyone else may take the lease, as the deadline is shorter than the lease.
 * Seeing another holder is final at once.
 */
import type { KubeClient } from '../kube/client.js';
import { isConflict, isNotFound } from '../kube/errors.js';
import { collectionPath, KINDS, objectPath } from '../kube/resources.js';

export interface LeaderOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewMs: number;
  /** How long a leader keeps leading while its renewals fail; must be shorter than the lease. */
  renewDeadlineMs: number;
  retryMs: number;
}

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    renewTime?: string;
    acquireTime?: string;
    leaseTransitions?: number;
  };
}

/** How long after the holder's expiry a standby tries, so it never asks a moment too early. */
const EXPIRY_MARGIN_MS = 100;

const microTime = (d: Date) => d.toISOString().replace('Z', '000Z');

export class LeaderElector {
  private stopped = false;
  private leading = false;
  private timer: NodeJS.Timeout | undefined;
  /** When another holder's lease runs out (ms since epoch), so a standby tries right then. */
  private otherExpiresAt: number | undefined;
  /** When the last successful renewal was sent (ms since epoch). */
  private renewedAt = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: LeaderOptions,
    private readonly callbacks: { onStartedLeading: () => void; onStoppedLeading: () => void },
  ) {
    if (opts.renewDeadlineMs >= opts.leaseDurationMs)
      throw new Error('leader election: the renew deadline must be shorter than the lease duration');
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.tick();
  }

  /** Stops campaigning; a leader releases the lease (unless told not to) so a standby takes over at once. */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading || !release) {
      this.leading = false;
      return;
    }
    this.leading = false;
    try {
      const lease = await this.client.get<Lease>(this.path());
      if (lease.spec.holderIdentity === this.opts.identity) {
        await this.client.request('PUT', this.path(), {
          ...lease,
          spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 },
        });
      }
    } catch {
      // Best effort: an unreleased lease simply expires.
    }
  }

  private path(): string {
    return objectPath(KINDS.lease, this.opts.namespace, this.opts.name);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const attemptAt = Date.now();
    let held = false;
    let failed = false;
    try {
      held = await this.tryAcquireOrRenew(new Date(attemptAt));
      if (held) this.renewedAt = attemptAt;
    } catch {
      // A failed request is not a lost lease: the lease we hold stays ours until it expires.
      failed = true;
      held = this.leading && Date.now() - this.renewedAt < this.opts.renewDeadlineMs;
    }
    if (this.stopped) return;
    if (held && !this.leading) {
      this.leading = true;
      this.callbacks.onStartedLeading();
    } else if (!held && this.leading) {
      this.leading = false;
      this.callbacks.onStoppedLeading();
    }
    const delay = failed ? this.opts.retryMs : held ? this.opts.renewMs : this.retryDelay();
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  /**
   * A standby retries every `retryMs`, but no later than just after the holder's lease expires: a crashed
   * leader is replaced ~lease duration after its last renewal, not up to a retry period later.
   */
  private retryDelay(): number {
    if (this.otherExpiresAt === undefined) return this.opts.retryMs;
    const untilExpiry = this.otherExpiresAt - Date.now() + EXPIRY_MARGIN_MS;
    return Math.max(EXPIRY_MARGIN_MS, Math.min(this.opts.retryMs, untilExpiry));
  }

  private async tryAcquireOrRenew(now: Date): Promise<boolean> {
    const spec = {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: Math.ceil(this.opts.leaseDurationMs / 1000),
      renewTime: microTime(now),
    };
    let lease: Lease;
    try {
      lease = await this.client.get<Lease>(this.path());
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.client.request('POST', collectionPath(KINDS.lease, this.opts.namespace), {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.opts.name, namespace: this.opts.namespace },
          spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 },
        });
        return true;
      } catch (createErr) {
        if (isConflict(createErr)) return false;
        throw createErr;
      }
    }
    const holder = lease.spec.holderIdentity;
    const renewed = lease.spec.renewTime ? Date.parse(lease.spec.renewTime) : 0;
    const expiresAt = renewed + (lease.spec.leaseDurationSeconds ?? 0) * 1000;
    const expired = now.getTime() > expiresAt;
    this.otherExpiresAt = holder && holder !== this.opts.identity && !expired ? expiresAt : undefined;
    if (this.otherExpiresAt !== undefined) return false;
    const takingOver = holder !== this.opts.identity;
    try {
      await this.client.request('PUT', this.path(), {
        ...lease,
        spec: {
          ...lease.spec,
          ...spec,
          ...(takingOver
            ? { acquireTime: microTime(now), leaseTransitions: (lease.spec.leaseTransitions ?? 0) + 1 }
            : {}),
        },
      });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }
}
