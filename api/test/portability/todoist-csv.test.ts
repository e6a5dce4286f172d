import { instantToZonedWallClock } from '@todo/recurrence';
import { beforeAll, describe, expect, it } from 'vitest';
import { portabilityRequests, readFixture } from '../support/import-requests.js';
import { snapshot } from '../support/snapshot.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

const HEADER = 'TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE';

describe.each(STORAGES)('Todoist CSV import on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  let fixture: string;

  const { importFile, tasksByTitle } = portabilityRequests(t);

  beforeAll(async () => {
    fixture = await readFixture('todoist-project.csv');
  });

  it("maps a project export's tasks, labels, priorities, notes and dates, and reports what it could not", async () => {
    const { auth } = await t.user();
    const res = await importFile('todoist-csv', fixture, { auth });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json();
    expect(result.created).toEqual({ projects: 0, tasks: 8 });
    expect(result.skipped).toEqual([
      { line: 2, reason: 'section "Errands": its tasks are tagged "errands" (sections are kept as tags)' },
      { line: 4, reason: 'assignees (RESPONSIBLE) are not kept' },
      { line: 7, reason: 'section "Weekly": its tasks are tagged "weekly" (sections are kept as tags)' },
      { line: 8, reason: 'durations (DURATION) are not kept' },
      { line: 9, reason: 'DATE "every other full moon" could not be read: kept in the description' },
      { line: 10, reason: 'DATE "morgen" could not be read: kept in the description' },
      { line: 14, reason: 'labels kept in the title (not valid tags): "bike!"' },
      { line: 14, reason: 'PRIORITY "9" is not 1–4: imported without a priority' },
      { line: 15, reason: 'TYPE "comment" is not task, section or note' },
    ]);
    const byTitle = await tasksByTitle(auth);
    expect(Object.keys(byTitle).sort()).toEqual(
      [
        'Buy milk',
        'Pick up dry cleaning',
        'Water the plants',
        'Call grandma',
        'Rechnung bezahlen',
        'Plan the trip to Lisbon',
        '=HYPERLINK("http://evil.example","click")',
        'Fix the bike @bike!',
      ].sort(),
    );
    expect(byTitle['Buy milk']).toMatchObject({
      description: '2 litres, semi-skimmed',
      priority: 'urgent',
      tags: ['errands', 'groceries'],
      dueAt: '2027-03-12T16:00:00.000Z',
      timeZone: 'Europe/Berlin',
      recurrence: null,
      completed: false,
    });
    expect(byTitle['Pick up dry cleaning']).toMatchObject({
      parentId: byTitle['Buy milk']!.id,
      priority: 'none',
      tags: ['errands'],
      description: 'Ticket is in the blue jacket, "left pocket"',
    });
    const plants = byTitle['Water the plants']!;
    expect(plants).toMatchObject({
      priority: 'high',
      tags: ['home', 'weekly'],
      recurrence: { rule: 'FREQ=WEEKLY;BYDAY=SU' },
    });
    const wall = instantToZonedWallClock(new Date(plants.dueAt!), 'Europe/Berlin');
    expect(new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay()).toBe(0);
    expect([wall.hour, wall.minute]).toEqual([9, 0]);
    expect(byTitle['Call grandma']).toMatchObject({
      priority: 'medium',
      dueAt: null,
      description: 'Todoist date: every other full moon',
    });
    expect(byTitle['Rechnung bezahlen']!.description).toBe('Todoist date: morgen');
    expect(byTitle['Plan the trip to Lisbon']!.description).toBe('Flights first,\nthen the hotel');
    expect(byTitle['Fix the bike @bike!']!.priority).toBe('none');
  });

  it('creates nothing when the same file is imported again', async () => {
    const { auth } = await t.user();
    expect((await importFile('todoist-csv', fixture, { auth })).json().created.tasks).toBe(8);
    const before = await snapshot(t.db);
    const again = await importFile('todoist-csv', fixture, { auth });
    expect(again.statusCode).toBe(200);
    expect(again.json().created).toEqual({ projects: 0, tasks: 0 });
    expect(await snapshot(t.db)).toBe(before);
    expect(Object.keys(await tasksByTitle(auth))).toHaveLength(8);
  });

  it('imports two identical rows as two tasks, once', async () => {
    const { auth } = await t.user();
    const csv = `${HEADER}\ntask,Stretch,,,,,,,,\ntask,Stretch,,,,,,,,\n`;
    expect((await importFile('todoist-csv', csv, { auth })).json().created.tasks).toBe(2);
    expect((await importFile('todoist-csv', csv, { auth })).json().created.tasks).toBe(0);
  });

  it('imports 10,000 tasks in one transaction', { timeout: 120_000 }, async () => {
    const user = await t.user();
    const rows = Array.from(
      { length: 10_000 },
      (_, i) => `task,Task number ${i} @bulk,Row ${i},${(i % 4) + 1},1,,,,,`,
    );
    const res = await importFile('todoist-csv', `${HEADER}\n${rows.join('\n')}\n`, { auth: user.auth });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json()).toEqual({ created: { projects: 0, tasks: 10_000 }, skipped: [] });
    const { rows: counts } = await t.db.query<{ tasks: number; transactions: number; sources: number }>(
      `SELECT count(*)::int AS tasks, count(DISTINCT xmin::text)::int AS transactions,
         (SELECT count(*)::int FROM import_sources WHERE user_id = $1) AS sources
       FROM tasks WHERE user_id = $1`,
      [user.id],
    );
    expect(counts[0]).toEqual({ tasks: 10_000, transactions: 1, sources: 10_000 });
  });

  it('writes nothing when a write fails past the first batches of a 10,000-task file', {
    timeout: 120_000,
  }, async () => {
    const { auth } = await t.user();
    // The 9,500th task fails in the database, after nine batches of the same import were written.
    await t.db.exec(`
      CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
      CREATE TRIGGER refuse_boom BEFORE INSERT ON tasks FOR EACH ROW WHEN (NEW.title = 'boom')
        EXECUTE FUNCTION refuse_boom();`);
    try {
      const rows = Array.from(
        { length: 10_000 },
        (_, i) => `task,${i === 9_499 ? 'boom' : `Task ${i}`},,,,,,,,`,
      );
      const before = await snapshot(t.db);
      const res = await importFile('todoist-csv', `${HEADER}\n${rows.join('\n')}\n`, { auth });
      expect(res.statusCode).toBe(500);
      expect(problemOf(res).detail).toBe('Something went wrong on our side.');
      expect(await snapshot(t.db)).toBe(before);
    } finally {
      await t.db.exec('DROP TRIGGER refuse_boom ON tasks; DROP FUNCTION refuse_boom();');
    }
  });

  it('skips hostile rows with a reason and imports the rest', async () => {
    const { auth } = await t.user();
    const csv = [
      HEADER,
      'task,Bell\u0007 in the name,,,,,,,,',
      `task,${'x'.repeat(100_000)},,,,,,,,`,
      `task,Long notes,${'y'.repeat(20_001)},,,,,,,`,
      'task,Unknown zone,,,,,,tomorrow,en,Mars/Olympus',
      'task,Odd indent,,,seven,,,,,',
      'task,Starts too deep,,,3,,,,,',
      'task,Fine,,1,,,,2027-02-30,en,',
      'note,\u0000,,,,,,,,',
    ].join('\n');
    const res = await importFile('todoist-csv', csv, { auth });
    expect(res.statusCode).toBe(200);
    const { created, skipped } = res.json();
    expect(created.tasks).toBe(4);
    expect(skipped).toEqual([
      { line: 2, reason: 'not imported: CONTENT must not contain control characters' },
      { line: 3, reason: 'not imported: CONTENT must be at most 500 characters' },
      { line: 4, reason: 'not imported: DESCRIPTION must be at most 20,000 characters' },
      { line: 5, reason: 'TIMEZONE "Mars/Olympus" is not an IANA time zone: UTC used' },
      { line: 6, reason: 'INDENT "seven" is not 1–4: imported at the top level' },
      { line: 7, reason: 'INDENT 3 has no task at level 2 above it: imported at the top level' },
      { line: 8, reason: 'DATE "2027-02-30" could not be read: kept in the description' },
      { line: 9, reason: 'note not imported: CONTENT must not contain control characters' },
    ]);
  });

  it('refuses a file that is not CSV or not Todoist, or holds over 10,000 tasks, and writes nothing', async () => {
    const { auth } = await t.user();
    const before = await snapshot(t.db);
    const broken = await importFile('todoist-csv', `${HEADER}\ntask,"unclosed,,,,,,,,\n`, { auth });
    expect(broken.statusCode).toBe(422);
    expect(problemOf(broken).detail).toMatch(/^The file is not a readable CSV: /);
    const other = await importFile('todoist-csv', 'name,due\nMilk,tomorrow\n', { auth });
    expect(problemOf(other)).toMatchObject({
      status: 422,
      detail: 'The file is not a Todoist CSV: it has no TYPE and CONTENT columns.',
    });
    for (const notTodoist of ['', 'null', 'TYPE;CONTENT\ntask;x\n']) {
      expect((await importFile('todoist-csv', notTodoist, { auth })).statusCode, notTodoist).toBe(422);
    }
    const many = await importFile('todoist-csv', `TYPE,CONTENT\n${'task,x\n'.repeat(10_001)}`, { auth });
    expect(problemOf(many)).toMatchObject({ status: 413 });
    expect(await snapshot(t.db)).toBe(before);
  });
});
