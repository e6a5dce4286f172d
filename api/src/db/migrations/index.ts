import { sql as tasks } from './001-tasks.js';
import { sql as events } from './002-events.js';
import { sql as eventQueue } from './003-event-queue.js';
import { sql as calendarFeeds } from './004-calendar-feeds.js';
import { sql as eventDeadLetters } from './005-event-dead-letters.js';
import { sql as seriesAnchor } from './006-series-anchor.js';
import { sql as searchByUser } from './007-search-by-user.js';
import { sql as searchIndexDirect } from './008-search-index-direct.js';
import { sql as projects } from './009-projects.js';
import { sql as subtasksOrderTrash } from './010-subtasks-order-trash.js';
import { sql as importSources } from './011-import-sources.js';
import { sql as manualOrderByProject } from './012-manual-order-by-project.js';
import { sql as oauth } from './016-oauth.js';
import { sql as conversations } from './017-conversations.js';
import { sql as loginThrottle } from './018-login-throttle.js';

/** Ordered, append-only list of schema migrations; a migration is never edited once released. */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'tasks', sql: tasks },
  { version: 2, name: 'events', sql: events },
  { version: 3, name: 'event-queue', sql: eventQueue },
  { version: 4, name: 'calendar-feeds', sql: calendarFeeds },
  { version: 5, name: 'event-dead-letters', sql: eventDeadLetters },
  { version: 6, name: 'series-anchor', sql: seriesAnchor },
  { version: 7, name: 'search-by-user', sql: searchByUser },
  { version: 8, name: 'search-index-direct', sql: searchIndexDirect },
  { version: 9, name: 'projects', sql: projects },
  { version: 10, name: 'subtasks-order-trash', sql: subtasksOrderTrash },
  { version: 11, name: 'import-sources', sql: importSources },
  { version: 12, name: 'manual-order-by-project', sql: manualOrderByProject },
  { version: 16, name: 'oauth', sql: oauth },
  { version: 17, name: 'conversations', sql: conversations },
  { version: 18, name: 'login-throttle', sql: loginThrottle },
];
