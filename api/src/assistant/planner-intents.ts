/**
 * What an English chat message asks for, read by patterns (no model): the deterministic planner's first step.
 * Pure: the words in, an intent out; finding tasks by name and calling tools is `planner.ts`'s part.
 */

/** What "the task named …" means in a message: words to look up, or a number from the last list shown. */
export type TaskReference = { kind: 'name'; name: string } | { kind: 'position'; position: number };

/** Open tasks by when they are due; `week` is today to the end of Sunday in the user's zone. */
export type ListWindow = 'today' | 'tomorrow' | 'week' | 'upcoming' | 'overdue';

export interface ListFilter {
  window: ListWindow | null;
  tags: string[];
  priority: 'high' | 'urgent' | 'medium' | 'low' | null;
  status: 'open' | 'completed';
}

/** A change to one task, named by the user. */
export type TaskEdit =
  | { field: 'title'; title: string }
  | { field: 'priority'; priority: 'none' | 'low' | 'medium' | 'high' | 'urgent' }
  | { field: 'due'; when: string };

export type Intent =
  | { kind: 'add'; text: string; remind: boolean }
  | { kind: 'act'; action: 'complete' | 'reopen' | 'delete'; task: TaskReference }
  | { kind: 'edit'; task: TaskReference; edit: TaskEdit }
  | { kind: 'remind'; text: string }
  | { kind: 'list'; filter: ListFilter }
  | { kind: 'search'; query: string }
  | { kind: 'notifications' }
  | { kind: 'pick'; position: number }
  | { kind: 'cancel' }
  | { kind: 'help' }
  | { kind: 'unsupported'; what: string }
  | { kind: 'unknown' };

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  last: -1,
};
const ORDINAL_WORDS = Object.keys(ORDINALS).join('|');

/** "the second one", "2", "number 3", "#2", "the 3rd", "the last one" → 2, 2, 3, 2, 3, -1 (last). */
export function readPosition(text: string): number | null {
  const m = new RegExp(
    `^(?:(?:it'?s|it is|i meant?|pick|choose|select)\\s+)?(?:the\\s+|number\\s+|no\\.?\\s*|#)?(?:(\\d{1,3})(?:st|nd|rd|th)?|(${ORDINAL_WORDS}))(?:\\s+(?:one|task|item))?(?:\\s+(?:on|in|from)\\s+the\\s+list)?$`,
    'i',
  ).exec(text.trim());
  if (!m) return null;
  if (m[1]) return Number(m[1]) >= 1 ? Number(m[1]) : null;
  return ORDINALS[m[2]!.toLowerCase()] ?? null;
}

/** Words around a task's name that only say "the task": "the task called X", "my 'X' task", "X from my list". */
function taskName(words: string): string {
  let name = words.trim();
  for (;;) {
    const next = name
      .replace(/^(?:the|my|a)\s+/i, '')
      .replace(/^(?:task|todo|to-do|item)s?\s+(?:called|named|titled)?\s*/i, '')
      .replace(/^(?:one\s+)?(?:called|named|titled|about)\s+/i, '')
      .replace(/\s+(?:task|todo|to-do|item)$/i, '')
      .replace(/\s+(?:from|off|on|in)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+)?list$/i, '')
      .replace(/^["'“‘](.*)["'”’]$/u, '$1')
      .trim();
    if (next === name) return name;
    name = next;
  }
}

/** A reference to a task: a position in the last list ("the second one") or its name. */
function reference(words: string): TaskReference | null {
  const name = taskName(words);
  if (!name) return null;
  const position = readPosition(name) ?? readPosition(words);
  return position !== null ? { kind: 'position', position } : { kind: 'name', name };
}

const PRIORITY_NAMES = /^(none|no|low|medium|normal|high|urgent|top)$/i;
function priorityOf(word: string): 'none' | 'low' | 'medium' | 'high' | 'urgent' {
  const w = word.toLowerCase();
  if (w === 'no' || w === 'none') return 'none';
  if (w === 'normal') return 'medium';
  if (w === 'top') return 'urgent';
  return w as 'low' | 'medium' | 'high' | 'urgent';
}

/** Spaces collapsed; trailing full stops, question marks and "please" dropped ("!high" stays). */
export function normalise(message: string): string {
  return message
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(?:,?\s*please)?[.?]*$/i, '')
    .replace(/^(?:please|can you|could you|would you|kindly|hey|ok|okay)[, ]+/i, '')
    .replace(/^(?:please|can you|could you)[, ]+/i, '')
    .trim();
}

const ADD =
  /^(?:add|create|new|make|put|jot down|note down|note|write down|schedule)(?:\s+(?:a|an|another)\b)?(?:\s+new\b)?(?:\s+(?:task|todo|to-do|item|reminder)\b)?(?:\s*:\s*|\s+)(?<text>.+)$/i;
const ADD_PLAIN = /^(?:todo|to-do|task|new task)\s*:\s*(?<text>.+)$/i;
const ADD_NEED =
  /^(?:i need to|i have to|i must|i should|remember to|don't let me forget to)\s+(?<text>.+)$/i;
const REMIND_TO = /^remind me to\s+(?<text>.+)$/i;
const REMIND_ABOUT =
  /^(?:remind me (?:about|of)|set (?:a )?reminder (?:for|on)|add (?:a )?reminder (?:for|to|on))\s+(?<text>.+)$/i;

const COMPLETE = [
  /^(?:complete|finish|close|check off|tick off|cross off|done with|done:?)\s+(?<name>.+)$/i,
  /^mark\s+(?<name>.+?)\s+(?:as\s+)?(?:done|complete|completed|finished)$/i,
  /^i(?:'ve| have)?\s+(?:just\s+)?(?:finished|completed|did|done)\s+(?<name>.+)$/i,
  /^(?<name>.+?)\s+(?:is|are)\s+(?:done|finished|complete|completed)$/i,
];
const REOPEN = [
  /^mark\s+(?<name>.+?)\s+(?:as\s+)?(?:not done|undone|open|incomplete|not complete|unfinished|to ?do)$/i,
  /^(?:reopen|re-open|uncomplete|un-complete|unmark|undo|uncheck)\s+(?<name>.+)$/i,
  /^(?<name>.+?)\s+(?:is|isn't|is not)\s+(?:not\s+)?(?:done yet|finished yet|undone)$/i,
];
const DELETE = /^(?:delete|remove|trash|bin|erase|drop|get rid of|cancel|scrap)\s+(?<name>.+)$/i;

const RENAME = /^(?:rename|retitle)\s+(?<name>.+?)\s+(?:to|as)\s+(?<title>.+)$/i;
const CHANGE_TITLE = /^change\s+(?:the\s+)?(?:title|name)\s+of\s+(?<name>.+?)\s+to\s+(?<title>.+)$/i;
const PRIORITY_EDITS = [
  /^(?:set|change|make)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(?<name>.+?)\s+(?:to\s+)?(?<priority>\w+)$/i,
  /^(?:make|set|mark)\s+(?<name>.+?)\s+(?:as\s+|to\s+)?(?<priority>\w+)\s+priority$/i,
  /^(?:prioriti[sz]e)\s+(?<name>.+)$/i,
];
const RESCHEDULE =
  /^(?:move|reschedule|postpone|push|defer|delay|change the due date of|set the due date of)\s+(?<name>.+?)\s+(?:to|for|until|till)\s+(?<when>.+)$/i;
const DUE_AT =
  /^(?!(?:what|which|anything|something|who|how much)\b)(?<name>.+?)\s+is\s+(?:now\s+)?due\s+(?<when>.+)$/i;
const SEARCH =
  /^(?:search(?:\s+(?:for|my tasks for|tasks for))?|find(?:\s+(?:tasks?|my tasks?))?(?:\s+(?:about|with|mentioning|containing|called|named))?|look\s+(?:for|up)|any tasks?\s+(?:about|with|mentioning|containing)|(?:show|list)\s+(?:me\s+)?tasks?\s+(?:about|mentioning|containing|matching))\s+(?<q>.+)$/i;

const NOTIFICATIONS = /\b(?:notifications?|alerts|inbox messages)\b/i;
const LIST_VERBS =
  /^(?:list|show|display|view|see|get|give|tell|what|what's|whats|which|how many|do i have|any|anything|my|all)\b/i;
const LIST_NOUNS = /\b(?:tasks?|todos?|to-dos?|things|items|list|agenda|plate|schedule|due|overdue|have)\b/i;

const UNSUPPORTED: [RegExp, string][] = [
  [/\b(?:share|invite|collaborat\w*)\b/i, 'share projects or invite people'],
  [/\bassign\b/i, 'assign tasks to people'],
  [/\bprojects?\b/i, 'manage projects'],
  [/\bsub-?tasks?\b/i, 'manage subtasks'],
  [/\b(?:export|import|download|upload|backup)\b/i, 'import or export tasks'],
  [/\b(?:calendar|ical|ics)\b/i, 'manage calendar feeds'],
  [/\b(?:password|account|sign ?up|log ?in|log ?out|email address)\b/i, 'change account settings'],
  [/\b(?:empty|restore)\b.*\btrash\b|\btrash\b.*\b(?:empty|restore)\b/i, 'empty or restore the Trash'],
  [/\b(?:weather|joke|news|translate|poem|story)\b/i, 'answer questions outside your tasks'],
];

/** The intent of one message; `hasChoices` tells whether a bare "2" can mean a task the last reply listed. */
export function readIntent(message: string, hasChoices: boolean): Intent {
  const text = normalise(message);
  if (!text) return { kind: 'unknown' };
  if (hasChoices) {
    const position = readPosition(text);
    if (position !== null) return { kind: 'pick', position };
  }
  if (/^(?:cancel|never ?mind|forget it|none(?: of (?:them|those))?|neither|no(?:pe)?|stop)$/i.test(text)) {
    return { kind: 'cancel' };
  }
  if (
    /^(?:help|\?|what can you do|what do you do|how do(?:es)? (?:this|it|you) work|commands|hi|hello|hey)$/i.test(
      text,
    )
  ) {
    return { kind: 'help' };
  }
  let m = REMIND_ABOUT.exec(text);
  if (m) return { kind: 'remind', text: m.groups!.text! };
  m = REMIND_TO.exec(text);
  if (m) return { kind: 'add', text: m.groups!.text!, remind: true };
  for (const pattern of [ADD_PLAIN, ADD_NEED]) {
    m = pattern.exec(text);
    if (m) return { kind: 'add', text: m.groups!.text!, remind: false };
  }
  const edit = readEdit(text);
  if (edit) return edit;
  const act = readAct(text);
  if (act) return act;
  m = ADD.exec(text);
  if (m && !/^(?:add|create|make)\s+(?:a\s+)?project\b/i.test(text)) {
    return { kind: 'add', text: stripAddWords(m.groups!.text!), remind: false };
  }
  m = SEARCH.exec(text);
  if (m) return { kind: 'search', query: taskName(m.groups!.q!) };
  if (NOTIFICATIONS.test(text)) return { kind: 'notifications' };
  for (const [pattern, what] of UNSUPPORTED) if (pattern.test(text)) return { kind: 'unsupported', what };
  const filter = readListFilter(text);
  if (filter) return { kind: 'list', filter };
  return { kind: 'unknown' };
}

/** "to buy milk", "called Buy milk", "buy milk to my list" → "buy milk". */
function stripAddWords(text: string): string {
  return text
    .replace(/^(?:to|that i (?:need|have) to|called|named|titled|for|about)\s+/i, '')
    .replace(/\s+(?:to|on|in)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+)?list\b/i, '')
    .trim();
}

function readAct(text: string): Intent | null {
  const tries: ['complete' | 'reopen' | 'delete', RegExp][] = [
    ...REOPEN.map((p) => ['reopen', p] as ['reopen', RegExp]),
    ...COMPLETE.map((p) => ['complete', p] as ['complete', RegExp]),
    ['delete', DELETE],
  ];
  for (const [action, pattern] of tries) {
    const m = pattern.exec(text);
    const task = m ? reference(m.groups!.name!) : null;
    if (task) return { kind: 'act', action, task };
  }
  return null;
}

function readEdit(text: string): Intent | null {
  let m = RENAME.exec(text) ?? CHANGE_TITLE.exec(text);
  if (m) {
    const task = reference(m.groups!.name!);
    const title = taskName(m.groups!.title!);
    if (task && title) return { kind: 'edit', task, edit: { field: 'title', title } };
  }
  for (const pattern of PRIORITY_EDITS) {
    m = pattern.exec(text);
    if (!m) continue;
    const word = m.groups!.priority ?? 'high';
    const task = reference(m.groups!.name!);
    if (task && PRIORITY_NAMES.test(word)) {
      return { kind: 'edit', task, edit: { field: 'priority', priority: priorityOf(word) } };
    }
  }
  m = RESCHEDULE.exec(text) ?? DUE_AT.exec(text);
  if (m) {
    const task = reference(m.groups!.name!);
    if (task) return { kind: 'edit', task, edit: { field: 'due', when: m.groups!.when! } };
  }
  return null;
}

/** "what's due today?", "show #work", "overdue tasks", "high priority tasks this week" → a list filter. */
export function readListFilter(text: string): ListFilter | null {
  const tags = [...text.matchAll(/(?:^|\s)#([\p{L}\p{N}_-]{1,40})\b/gu)].map((m) => m[1]!.toLowerCase());
  const tagged = /\b(?:tagged|labell?ed|with (?:the )?tag)\s+([\p{L}\p{N}_-]{1,40})/iu.exec(text);
  if (tagged) tags.push(tagged[1]!.toLowerCase());
  const window: ListWindow | null = /\b(?:overdue|late|past due|missed)\b/i.test(text)
    ? 'overdue'
    : /\btoday(?:'s)?\b|\btonight\b/i.test(text)
      ? 'today'
      : /\btomorrow(?:'s)?\b/i.test(text)
        ? 'tomorrow'
        : /\b(?:this|the) week\b|\bweek's\b/i.test(text)
          ? 'week'
          : /\b(?:upcoming|coming up|next (?:few|two|2|14) (?:days|weeks))\b/i.test(text)
            ? 'upcoming'
            : null;
  const p = /\b(urgent|high|medium|low)(?:[- ]priority)?\b/i.exec(text);
  const priority =
    p && (/priority/i.test(text) || p[1]!.toLowerCase() === 'urgent') ? p[1]!.toLowerCase() : null;
  const status = /\b(?:completed|finished|done)\b/i.test(text) ? 'completed' : 'open';
  const asks = LIST_VERBS.test(text) || LIST_NOUNS.test(text) || tags.length > 0 || window !== null;
  if (!asks) return null;
  if (!window && !tags.length && !priority && !LIST_NOUNS.test(text)) return null;
  return { window, tags: [...new Set(tags)], priority: priority as ListFilter['priority'], status };
}
