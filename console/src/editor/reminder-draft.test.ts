import { describe, expect, it } from 'vitest';
import { fromDraft, toDraft } from './reminder-draft.js';

describe('reminder rows', () => {
  it.each([
    ['PT15M', { kind: 'before', amount: 15, unit: 'minutes' }],
    ['PT2H', { kind: 'before', amount: 2, unit: 'hours' }],
    ['P1D', { kind: 'before', amount: 1, unit: 'days' }],
  ] as const)('%s round-trips', (before, draft) => {
    expect(toDraft({ before }, 'UTC')).toEqual(draft);
    expect(fromDraft(draft, 'UTC')).toEqual({ before });
  });

  it('shows mixed durations in minutes', () => {
    expect(toDraft({ before: 'PT1H30M' }, 'UTC')).toEqual({ kind: 'before', amount: 90, unit: 'minutes' });
  });

  it('reads every duration the API accepts, weeks and "at the due time" included', () => {
    expect(toDraft({ before: 'P1W' }, 'UTC')).toEqual({ kind: 'before', amount: 7, unit: 'days' });
    expect(toDraft({ before: 'P1DT2H' }, 'UTC')).toEqual({ kind: 'before', amount: 26, unit: 'hours' });
    expect(toDraft({ before: 'PT0S' }, 'UTC')).toEqual({ kind: 'before', amount: 0, unit: 'minutes' });
  });

  it('reads and writes absolute times in the task zone', () => {
    const draft = toDraft({ remindAt: '2026-11-25T08:00:00.000Z' }, 'Europe/Paris');
    expect(draft).toEqual({ kind: 'at', local: '2026-11-25T09:00' });
    expect(fromDraft(draft, 'Europe/Paris')).toEqual({ remindAt: '2026-11-25T08:00:00.000Z' });
    expect(fromDraft({ kind: 'at', local: '2026-11-' }, 'UTC')).toBeNull();
  });
});

describe('reminder times to the second', () => {
  it('keeps seconds so a reminder can fire moments from now', () => {
    const draft = { kind: 'at', local: '2026-11-25T09:00:05' } as const;
    expect(fromDraft(draft, 'UTC')).toEqual({ remindAt: '2026-11-25T09:00:05.000Z' });
    expect(toDraft({ remindAt: '2026-11-25T09:00:05.000Z' }, 'UTC')).toEqual(draft);
  });
});

describe('reminder times in a DST gap', () => {
  it('moves a time the gap skips forward by the gap, the one rule the API applies too', () => {
    // 02:30 does not exist in New York on 9 March 2025; RFC 5545 and the API read it as 03:30 EDT.
    const draft = { kind: 'at', local: '2025-03-09T02:30' } as const;
    expect(fromDraft(draft, 'America/New_York')).toEqual({ remindAt: '2025-03-09T07:30:00.000Z' });
  });
});
