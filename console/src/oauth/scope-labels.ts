import type { OAuthScope } from '@todo/contract';

/** What each scope lets an app do, in the user's words. */
export const SCOPE_LABELS: Record<OAuthScope, string> = {
  'tasks:read': 'See your tasks, tags and notifications',
  'tasks:write': 'Add, change, complete and delete your tasks and reminders',
};

/** The host a URI names (`127.0.0.1`, `app.example.com`), or the URI itself when it has none. */
export function hostOf(uri: string): string {
  try {
    return new URL(uri).host || uri;
  } catch {
    return uri;
  }
}
