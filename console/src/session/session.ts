import type { Session as AuthResult, User } from '@todo/contract';
import { jwtExpiry } from './jwt.js';

const STORAGE_KEY = 'todo.session';
// setTimeout overflows past 2^31-1 ms (~24.8 days); longer sessions re-arm the timer.
const MAX_TIMER_MS = 2 ** 31 - 1;

export type SignOutReason = 'logout' | 'expired';

/** The signed-in user and their bearer token, kept in localStorage so a reload keeps the session. */
export class Session extends EventTarget {
  token: string | null = null;
  user: User | null = null;
  /** Milliseconds since the epoch, from the token's `exp`; null when the token does not say. */
  expiresAt: number | null = null;
  lastSignOut: SignOutReason | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly storage: Storage) {
    super();
    const saved = readSaved(storage);
    if (saved) this.adopt(saved);
    if (this.token && !this.active) this.signOut('expired');
  }

  get active(): boolean {
    return this.token !== null && (this.expiresAt === null || this.expiresAt > Date.now());
  }

  signIn(result: AuthResult): void {
    this.storage.setItem(STORAGE_KEY, JSON.stringify(result));
    this.lastSignOut = null;
    this.adopt(result);
    this.dispatchEvent(new Event('change'));
  }

  signOut(reason: SignOutReason): void {
    if (this.token === null) return;
    clearTimeout(this.timer);
    this.storage.removeItem(STORAGE_KEY);
    this.token = null;
    this.user = null;
    this.expiresAt = null;
    this.lastSignOut = reason;
    this.dispatchEvent(new Event('change'));
  }

  private adopt(result: AuthResult): void {
    this.token = result.token;
    this.user = result.user;
    this.expiresAt = jwtExpiry(result.token);
    this.armExpiry();
  }

  private armExpiry(): void {
    clearTimeout(this.timer);
    if (this.expiresAt === null) return;
    const wait = this.expiresAt - Date.now();
    this.timer = setTimeout(
      () => (this.active ? this.armExpiry() : this.signOut('expired')),
      Math.min(wait, MAX_TIMER_MS),
    );
  }
}

function readSaved(storage: Storage): AuthResult | null {
  try {
    const value = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as Partial<AuthResult> | null;
    return typeof value?.token === 'string' && typeof value.user?.id === 'string'
      ? (value as AuthResult)
      : null;
  } catch {
    return null;
  }
}
