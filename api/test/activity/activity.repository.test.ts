import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { activityRepository, type NewActivityEntry } from '../../src/activity/activity.repository.js';
import { STORAGES, useTestDatabase } from '../support/test-app.js';

function entry(userId: string, occurredAt: string, title: string): NewActivityEntry {
  return {
    id: randomUUID(),
    userId,
    eventId: randomUUID(),
    type: 'task.updated',
    taskId: randomUUID(),
    title,
    occurredAt,
    projectId: null,
    changes: { fields: ['title'] },
  };
}

describe.each(STORAGES)('the audit trail on %s', (storage) => {
  const db = useTestDatabase(storage);

  it('pages newest first without gaps or repeats, across equal and sub-millisecond times', async () => {
    const user = randomUUID();
    // Three entries in one millisecond and two sharing a microsecond: a cursor that kept milliseconds only
    // would skip or repeat some of them.
    const times = [
      '2026-03-10T10:00:00.123400Z',
      '2026-03-10T10:00:00.123600Z',
      '2026-03-10T10:00:00.123600Z',
      '2026-03-10T10:00:00.123900Z',
      '2026-03-10T09:59:59Z',
    ];
    const entries = times.map((at, n) => entry(user, at, `entry ${n}`));
    await activityRepository.append(db, entries);
    await activityRepository.append(db, [entry(randomUUID(), times[0]!, 'another user')]);

    const titles: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await activityRepository.page(db, user, 2, cursor);
      titles.push(...page.items.map((i) => i.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    const newestFirst = [...entries]
      .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id))
      .map((e) => e.title);
    expect(titles).toEqual(newestFirst);
  });

  it('records a redelivered event once', async () => {
    const user = randomUUID();
    const first = entry(user, '2026-03-10T10:00:00Z', 'once');
    await activityRepository.append(db, [first]);
    await activityRepository.append(db, [{ ...first, id: randomUUID() }]);
    expect((await activityRepository.page(db, user, 10)).items.map((i) => i.title)).toEqual(['once']);
  });

  it("refuses a task list's cursor", async () => {
    const taskCursor = Buffer.from(
      JSON.stringify({ s: 'created', v: '2026-03-10 10:00:00+00', i: randomUUID() }),
    ).toString('base64url');
    await expect(activityRepository.page(db, randomUUID(), 10, taskCursor)).rejects.toThrow(
      'The cursor was issued for sort "created", not "activity:-occurred".',
    );
  });
});
