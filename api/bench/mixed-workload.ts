/**
 * The mixed workload of `bench:latency` — list 60 %, search 10 %, create 20 %, complete 10 % — issued either
 * over HTTP to the API or through the API's database path without HTTP (the ceiling), request for request.
 */

import { createTaskBody, listTasksQuery } from '@todo/contract';
import type { PostgresDatabase } from '../src/db/database.js';
import { taskChangeRecorder } from '../src/events/task-change-recorder.js';
import { TaskService } from '../src/tasks/task.service.js';
import { listPageSql } from '../src/tasks/task-page-json.js';
import { buildListQuery } from '../src/tasks/task-query.js';
import { TASK_COLUMNS } from '../src/tasks/task-row.js';
import { WORDS } from './api-under-test.js';
import type { LoopbackHttpPool } from './loopback-http.js';

export type Operation = 'list' | 'search' | 'create' | 'complete';
export const OPERATIONS: Operation[] = ['list', 'search', 'create', 'complete'];

/** Request i does MIX[i % 10]: any ten consecutive requests are exactly the mix. */
export const MIX: readonly Operation[] = [
  'list',
  'create',
  'list',
  'search',
  'list',
  'complete',
  'list',
  'create',
  'list',
  'list',
];

export interface OpenTask {
  id: string;
  userId: string;
}

/** What each operation does on one side (API or ceiling); a failure rejects. */
export interface TaskOperations {
  /** The first page of open tasks by due date (the list's defaults). */
  list(userId: string): Promise<void>;
  search(userId: string, word: string): Promise<void>;
  /** Resolves with the new task's id. */
  create(userId: string, title: string): Promise<string>;
  complete(task: OpenTask): Promise<void>;
}

/** The operations over HTTP, as a client of the API sends them. */
export function overHttp(pool: LoopbackHttpPool, tokenOf: Map<string, string>): TaskOperations {
  const auth = new Map([...tokenOf].map(([user, token]) => [user, `authorization: Bearer ${token}\r\n`]));
  const expect = async (what: string, status: number, sent: Promise<{ status: number; body: string }>) => {
    const res = await sent;
    if (res.status !== status) throw new Error(`${what}: HTTP ${res.status}`);
    return res.body;
  };
  return {
    list: async (user) => {
      await expect('list', 200, pool.request('GET', '/api/v1/tasks', auth.get(user)!));
    },
    search: async (user, word) => {
      await expect('search', 200, pool.request('GET', `/api/v1/tasks?q=${word}`, auth.get(user)!));
    },
    create: async (user, title) => {
      const body = JSON.stringify({ title, tags: ['bench'] });
      const created = await expect(
        'create',
        201,
        pool.request('POST', '/api/v1/tasks', auth.get(user)!, body, true),
      );
      return (JSON.parse(created) as { id: string }).id;
    },
    complete: async (task) => {
      const path = `/api/v1/tasks/${task.id}/complete`;
      await expect('complete', 200, pool.request('POST', path, auth.get(task.userId)!));
    },
  };
}

/**
 * The ceiling: the same SQL through the API's own database layer — the list and search queries the API
 * builds, and its write path (`TaskService` with the app's change recorder), whose events the API process's
 * relay and consumers then deliver exactly as they do the API's own.
 */
export function throughDatabase(db: PostgresDatabase): TaskOperations {
  const service = new TaskService(
    db,
    taskChangeRecorder({ topicPrefix: undefined, scheduleRemindersInDatabase: true }),
  );
  const listQuery = listTasksQuery.parse({});
  const searchQueries = new Map(WORDS.map((w) => [w, listTasksQuery.parse({ q: w })]));
  return {
    list: async (user) => {
      const q = buildListQuery(user, listQuery, TASK_COLUMNS);
      await db.query(listPageSql(q.sql), q.params);
    },
    search: async (user, word) => {
      const q = buildListQuery(user, searchQueries.get(word)!, TASK_COLUMNS);
      await db.query(listPageSql(q.sql), q.params, { planPerCall: true });
    },
    create: async (user, title) =>
      (await service.create(user, createTaskBody.parse({ title, tags: ['bench'] }))).id,
    complete: async (task) => {
      await service.complete(task.userId, task.id);
    },
  };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/**
 * Request i of the mix for a random user. Completes take the most recently created open task (a stack
 * refilled by this side's creates, which outnumber completes two to one), so the seeded tasks a list shows
 * stay open and both sides' lists read the same kind of page throughout.
 */
export function mixedRequest(
  ops: TaskOperations,
  users: readonly string[],
  openTasks: OpenTask[],
): (i: number) => Promise<void> {
  return async (i) => {
    const user = pick(users);
    switch (MIX[i % MIX.length]!) {
      case 'list':
        return ops.list(user);
      case 'search':
        return ops.search(user, pick(WORDS));
      case 'create': {
        const id = await ops.create(user, `${pick(WORDS)} ${i}`);
        openTasks.push({ id, userId: user });
        return;
      }
      case 'complete': {
        const task = openTasks.pop();
        if (!task) throw new Error('no open task left to complete');
        return ops.complete(task);
      }
    }
  };
}
