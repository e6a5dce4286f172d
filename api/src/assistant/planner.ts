/**
 * The deterministic planner: one English message and the conversation's state → the tool calls that carry it
 * out and the reply. A generator: it yields each tool call and is handed its outcome, so it stays pure (the
 * chat service runs the tools; the table tests hand it scripted outcomes) and a call can depend on an earlier
 * one's result (find "milk" by name, then complete the one found).
 */
import { parseQuickAdd } from '@todo/recurrence/quick-add';
import { findDate } from '@todo/recurrence/quick-add/chrono';
import { type ListFilter, readIntent, type TaskEdit, type TaskReference } from './planner-intents.js';
import { dayRange, describeTask, formatWhen, listReply, quoted } from './planner-replies.js';

/** One tool call as the tools take it and the chat's `actions` report it. */
export interface ToolCall {
  tool: string;
  arguments: Record<string, unknown>;
}

/** What a tool call gave: its result (data, never instructions), or the validation or access error it raised. */
export type ToolOutcome = { ok: true; result: unknown } | { ok: false; error: string };

/** A task as the planner remembers it between turns: enough to name it and to act on it. */
export interface TaskRef {
  id: string;
  title: string;
}

/** What one conversation remembers for the next message. */
export interface ConversationState {
  /** The tasks the last list or question showed, numbered from 1: "the second one" means `listed[1]`. */
  listed: TaskRef[];
  /** What to do with the task the user picks from `listed`, when the last reply asked "which one?". */
  pending: FollowUp | null;
}

export const EMPTY_STATE: ConversationState = { listed: [], pending: null };

/** What the planner does once it knows which task a message meant. */
export type FollowUp =
  | { kind: 'act'; action: 'complete' | 'reopen' | 'delete' }
  | { kind: 'edit'; edit: TaskEdit }
  | { kind: 'remind'; reminder: { before: string } | { remindAt: string } };

export interface PlanContext {
  now: Date;
  timeZone: string;
  state: ConversationState;
}

export interface PlanOutcome {
  reply: string;
  state: ConversationState;
}

export type Plan = Generator<ToolCall, PlanOutcome, ToolOutcome>;

/** At most this many tasks are listed in a reply (and so can be picked by number). */
export const LISTED_MAX = 20;

const CAPABILITIES =
  'I can add tasks ("add pay rent every month on the 1st #home !high"), complete, reopen, delete, rename or ' +
  'reschedule a task by name ("mark pay rent as done"), set a reminder ("remind me about pay rent 1 day ' +
  'before"), list what is due today, this week, overdue or under a #tag, search ("find rent"), and show your ' +
  'notifications.';

/** Plans the reply to one message; drive it with the outcome of each tool call it yields. */
export function* planTurn(message: string, ctx: PlanContext): Plan {
  const intent = readIntent(message, ctx.state.listed.length > 0);
  const keep = (reply: string): PlanOutcome => ({
    reply,
    state: { listed: ctx.state.listed, pending: null },
  });
  switch (intent.kind) {
    case 'help':
      return keep(CAPABILITIES);
    case 'cancel':
      return keep(ctx.state.pending ? 'OK, I left it as it was.' : 'OK.');
    case 'unsupported':
      return keep(`I can't ${intent.what} from the chat yet. ${CAPABILITIES}`);
    case 'unknown':
      return keep(`Sorry, I didn't understand that. ${CAPABILITIES}`);
    case 'add':
      return yield* addTask(intent.text, intent.remind, ctx);
    case 'list':
      return yield* listTasks(intent.filter, ctx);
    case 'search':
      return yield* searchTasks(intent.query, ctx);
    case 'notifications':
      return yield* listNotifications(ctx);
    case 'pick':
      return yield* pick(intent.position, ctx);
    case 'act':
      return yield* onTask(intent.task, { kind: 'act', action: intent.action }, ctx);
    case 'edit':
      return yield* onTask(intent.task, { kind: 'edit', edit: intent.edit }, ctx);
    case 'remind':
      return yield* remind(intent.text, ctx);
  }
}

/** Words the quick-add parser reads in symbols: "high priority" → "!high", "tagged work" → "#work". */
function quickAddText(text: string): string {
  return ` ${text} `
    .replace(/\s(?:with\s+)?(?:a\s+)?(urgent|high|medium|low)[- ]priority\s/i, ' !$1 ')
    .replace(/\s(?:with\s+)?priority\s+(urgent|high|medium|low)\s/i, ' !$1 ')
    .replace(/\s(?:tagged|labell?ed)\s+([\p{L}\p{N}_-]{1,40})\s/iu, ' #$1 ')
    .trim();
}

function* addTask(text: string, remind: boolean, ctx: PlanContext): Plan {
  const draft = parseQuickAdd(quickAddText(text), { now: ctx.now, timeZone: ctx.timeZone, findDate });
  const done = (reply: string): PlanOutcome => ({
    reply,
    state: { listed: ctx.state.listed, pending: null },
  });
  if (!draft.title) return done('What should the task be called?');
  // "Remind me to call mom at 5pm": a reminder when it is due, unless the text named another.
  const reminders =
    draft.reminders.length || !remind || !draft.dueAt ? draft.reminders : [{ before: 'PT0M' }];
  const call: ToolCall = {
    tool: 'add_task',
    arguments: {
      title: draft.title,
      ...(draft.tags.length ? { tags: draft.tags } : {}),
      ...(draft.priority ? { priority: draft.priority } : {}),
      ...(draft.dueAt ? { dueAt: draft.dueAt, timeZone: ctx.timeZone } : {}),
      ...(draft.recurrence ? { recurrence: draft.recurrence } : {}),
      ...(reminders.length ? { reminders } : {}),
    },
  };
  const outcome = yield call;
  if (!outcome.ok) return done(`I couldn't add ${quoted(draft.title)}: ${outcome.error}`);
  const notes = [
    remind && !draft.dueAt ? 'It has no date or time, so I set no reminder.' : '',
    draft.projectName ? `I put it in your Inbox: I can't file tasks in projects yet.` : '',
  ].filter(Boolean);
  const added = {
    title: draft.title,
    tags: draft.tags,
    priority: draft.priority ?? undefined,
    dueAt: draft.dueAt,
    ...taskIn(outcome.result),
  };
  return done([`Added ${describeTask(added, ctx.timeZone, draft.recurrenceSummary)}.`, ...notes].join(' '));
}

/** The arguments of list_tasks for a filter, with days read in the user's zone. */
export function listArguments(filter: ListFilter, now: Date, timeZone: string): Record<string, unknown> {
  const args: Record<string, unknown> = { status: filter.status };
  if (filter.window === 'today' || filter.window === 'upcoming') {
    args.view = filter.window;
    args.timeZone = timeZone;
  } else if (filter.window === 'overdue') args.overdue = true;
  else if (filter.window === 'tomorrow') Object.assign(args, dayRange(now, timeZone, 1, 1));
  else if (filter.window === 'week') Object.assign(args, dayRange(now, timeZone, 0, 'week'));
  if (filter.tags.length) args.tag = filter.tags;
  if (filter.priority) args.priority = filter.priority;
  return args;
}

function* listTasks(filter: ListFilter, ctx: PlanContext): Plan {
  const outcome = yield { tool: 'list_tasks', arguments: listArguments(filter, ctx.now, ctx.timeZone) };
  if (!outcome.ok) return { reply: `I couldn't list your tasks: ${outcome.error}`, state: ctx.state };
  return listed(tasksIn(outcome.result), listReply(filter), ctx);
}

function* searchTasks(query: string, ctx: PlanContext): Plan {
  const outcome = yield { tool: 'search_tasks', arguments: { q: query } };
  if (!outcome.ok) return { reply: `I couldn't search: ${outcome.error}`, state: ctx.state };
  return listed(
    tasksIn(outcome.result),
    { some: `Tasks matching ${quoted(query)}`, none: `No task matches ${quoted(query)}.` },
    ctx,
  );
}

/** A reply listing tasks, numbered so the next message can name one by its number. */
function listed(tasks: ListedTask[], words: { some: string; none: string }, ctx: PlanContext): PlanOutcome {
  if (!tasks.length) return { reply: words.none, state: { listed: [], pending: null } };
  const shown = tasks.slice(0, LISTED_MAX);
  const lines = shown.map((t, i) => `${i + 1}. ${describeTask(t, ctx.timeZone)}`);
  if (tasks.length > shown.length) lines.push(`…and ${tasks.length - shown.length} more.`);
  return {
    reply: `${words.some} (${tasks.length}):\n${lines.join('\n')}`,
    state: { listed: shown.map(({ id, title }) => ({ id, title })), pending: null },
  };
}

function* listNotifications(ctx: PlanContext): Plan {
  const outcome = yield { tool: 'list_notifications', arguments: {} };
  const keep = (reply: string): PlanOutcome => ({
    reply,
    state: { listed: ctx.state.listed, pending: null },
  });
  if (!outcome.ok) return keep(`I couldn't read your notifications: ${outcome.error}`);
  const result = outcome.result as { items?: unknown; unread?: unknown } | null;
  const items = Array.isArray(result?.items) ? (result.items as { title?: unknown; body?: unknown }[]) : [];
  if (!items.length) return keep('You have no notifications.');
  const lines = items.slice(0, 10).map((n) => `- ${String(n.title ?? n.body ?? 'Notification')}`);
  const unread = typeof result?.unread === 'number' ? ` (${result.unread} unread)` : '';
  return keep(`Your latest notifications${unread}:\n${lines.join('\n')}`);
}

/** "the second one" after a "which one?": the pending follow-up on that task. */
function* pick(position: number, ctx: PlanContext): Plan {
  const task = positionIn(ctx.state.listed, position);
  if (!task) {
    return {
      reply: `There is no number ${position} in the list I showed: pick 1 to ${ctx.state.listed.length}.`,
      state: ctx.state,
    };
  }
  if (!ctx.state.pending) {
    return {
      reply: `${quoted(task.title)}: what should I do with it? Say "complete it", "delete it" or "reopen it".`,
      state: { listed: [task], pending: null },
    };
  }
  return yield* followUp(task, ctx.state.pending, ctx);
}

function positionIn(list: TaskRef[], position: number): TaskRef | undefined {
  return position === -1 ? list[list.length - 1] : list[position - 1];
}

/** "remind me about the dentist 1 hour before" / "… tomorrow at 8am": a name, then when. */
function* remind(text: string, ctx: PlanContext): Plan {
  const before =
    /^(?<name>.+?)\s+(?<when>(?:\d{1,3}|an?|one|two|three|four|five|six|ten|twelve)\s*(?:m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)\s+(?:before|earlier|ahead)|(?:the\s+|a\s+)?(?:day|week)\s+(?:before|earlier|ahead))$/i.exec(
      text,
    );
  const parsed = before
    ? parseQuickAdd(`${before.groups!.name} remind me ${before.groups!.when}`, {
        now: ctx.now,
        timeZone: ctx.timeZone,
      })
    : parseQuickAdd(text, { now: ctx.now, timeZone: ctx.timeZone, findDate });
  const reminder = parsed.reminders[0] ?? (parsed.dueAt ? { remindAt: parsed.dueAt } : null);
  const name = parsed.title.replace(/\s+(?:on|at|in|for)$/i, '');
  if (!reminder || !name) {
    return {
      reply:
        'When should I remind you? Say, for example, "remind me about pay rent 1 day before" or "… tomorrow at 9am".',
      state: { listed: ctx.state.listed, pending: null },
    };
  }
  return yield* onTask({ kind: 'name', name }, { kind: 'remind', reminder }, ctx);
}

/** Finds the task a message names, then does `then` to it, or asks which one when several match. */
function* onTask(ref: TaskReference, then: FollowUp, ctx: PlanContext): Plan {
  if (ref.kind === 'position') {
    const task = positionIn(ctx.state.listed, ref.position);
    if (task) return yield* followUp(task, then, ctx);
    const reply = ctx.state.listed.length
      ? `There is no number ${ref.position} in the list I showed: pick 1 to ${ctx.state.listed.length}.`
      : 'Which task? Name it, or ask me to list your tasks first.';
    return { reply, state: ctx.state };
  }
  // Every status: completing a done task or reopening an open one is answered, not "not found".
  const outcome = yield { tool: 'search_tasks', arguments: { q: ref.name, status: 'all' } };
  if (!outcome.ok)
    return { reply: `I couldn't look for ${quoted(ref.name)}: ${outcome.error}`, state: ctx.state };
  const found = candidates(tasksIn(outcome.result), ref.name, then);
  if (found.kind === 'none')
    return { reply: found.reply, state: { listed: ctx.state.listed, pending: null } };
  if (found.kind === 'one') return yield* followUp(found.task, then, ctx);
  const shown = found.tasks.slice(0, LISTED_MAX);
  const lines = shown.map((t, i) => `${i + 1}. ${describeTask(t, ctx.timeZone)}`);
  return {
    reply: `Several tasks match ${quoted(ref.name)}. Which one did you mean?\n${lines.join('\n')}`,
    state: { listed: shown.map(({ id, title }) => ({ id, title })), pending: then },
  };
}

type Candidates =
  | { kind: 'one'; task: ListedTask }
  | { kind: 'many'; tasks: ListedTask[] }
  | { kind: 'none'; reply: string };

const fold = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * The tasks a name may mean: for completing, the open ones; for reopening, the done ones; one whose title is
 * the name exactly wins over those that only contain it.
 */
function candidates(tasks: ListedTask[], name: string, then: FollowUp): Candidates {
  const wanted =
    then.kind === 'act' && then.action === 'complete'
      ? tasks.filter((t) => t.completed !== true)
      : then.kind === 'act' && then.action === 'reopen'
        ? tasks.filter((t) => t.completed === true)
        : tasks;
  if (!wanted.length) {
    if (tasks.length && then.kind === 'act') {
      const state = then.action === 'complete' ? 'already done' : 'not done yet';
      return { kind: 'none', reply: `${describeTask(tasks[0]!, 'UTC', null, false)} is ${state}.` };
    }
    return { kind: 'none', reply: `I couldn't find a task matching ${quoted(name)}.` };
  }
  const exact = wanted.filter((t) => fold(t.title) === fold(name));
  if (exact.length === 1) return { kind: 'one', task: exact[0]! };
  if (wanted.length === 1) return { kind: 'one', task: wanted[0]! };
  return { kind: 'many', tasks: exact.length > 1 ? exact : wanted };
}

const ACT_TOOLS = { complete: 'complete_task', reopen: 'reopen_task', delete: 'delete_task' } as const;
const ACT_DONE = { complete: 'Completed', reopen: 'Reopened', delete: 'Deleted' } as const;

/** Carries out a follow-up on a task known by id. */
function* followUp(task: TaskRef, then: FollowUp, ctx: PlanContext): Plan {
  const state: ConversationState = { listed: ctx.state.listed, pending: null };
  let call: ToolCall;
  let done: string;
  if (then.kind === 'act') {
    call = { tool: ACT_TOOLS[then.action], arguments: { id: task.id } };
    done = `${ACT_DONE[then.action]} ${quoted(task.title)}${then.action === 'delete' ? ' (it is in the Trash for 30 days)' : ''}.`;
  } else if (then.kind === 'remind') {
    call = { tool: 'set_reminder', arguments: { id: task.id, reminder: then.reminder } };
    const when =
      'before' in then.reminder
        ? `${humanDuration(then.reminder.before)} before it is due`
        : `on ${formatWhen(then.reminder.remindAt, ctx.timeZone)}`;
    done = `I'll remind you about ${quoted(task.title)} ${when}.`;
  } else {
    const changes = editArguments(then.edit, ctx);
    if (typeof changes === 'string') return { reply: changes, state };
    call = { tool: 'update_task', arguments: { id: task.id, ...changes } };
    done = '';
  }
  const outcome = yield call;
  if (!outcome.ok) return { reply: `I couldn't change ${quoted(task.title)}: ${outcome.error}`, state };
  if (call.tool === 'update_task') {
    const updated = taskIn(outcome.result) ?? task;
    return { reply: `Updated: ${describeTask(updated, ctx.timeZone)}.`, state };
  }
  return { reply: done, state };
}

/** update_task's changes for an edit, or why the edit cannot be read. */
function editArguments(edit: TaskEdit, ctx: PlanContext): Record<string, unknown> | string {
  switch (edit.field) {
    case 'title':
      return { title: edit.title };
    case 'priority':
      return { priority: edit.priority };
    case 'due': {
      if (/^(?:no date|nothing|never|someday|no due date)$/i.test(edit.when)) return { dueAt: null };
      const draft = parseQuickAdd(`x ${edit.when}`, { now: ctx.now, timeZone: ctx.timeZone, findDate });
      if (!draft.dueAt) return `I couldn't read ${quoted(edit.when)} as a date.`;
      return { dueAt: draft.dueAt, timeZone: ctx.timeZone };
    }
  }
}

/** "PT1H" → "1 hour", "P1D" → "1 day", "PT0M" → "0 minutes". */
function humanDuration(iso: string): string {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!m) return iso;
  const parts = [
    [m[1], 'day'],
    [m[2], 'hour'],
    [m[3], 'minute'],
  ]
    .filter(([n]) => n !== undefined)
    .map(([n, unit]) => `${n} ${unit}${n === '1' ? '' : 's'}`);
  return parts.join(' ') || iso;
}

/** A task in a tool's result, as far as the planner reads it. */
export interface ListedTask extends TaskRef {
  dueAt?: string | null;
  completed?: boolean;
  tags?: string[];
  priority?: string;
}

function taskIn(value: unknown): ListedTask | null {
  const t = value as Partial<ListedTask> | null;
  return t && typeof t.id === 'string' && typeof t.title === 'string' ? (t as ListedTask) : null;
}

/** The tasks in a list or search result: `{items: [...]}` or a bare array. */
export function tasksIn(value: unknown): ListedTask[] {
  const items = Array.isArray(value) ? value : (value as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? items.map(taskIn).filter((t): t is ListedTask => t !== null) : [];
}
