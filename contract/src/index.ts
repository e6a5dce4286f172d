/** The public contract shared by the API, the console and the operator. */

export * from './activity.js';
export * from './api-config.js';
export * from './auth.js';
export * from './calendar.js';
export * from './chat.js';
export * from './cloudevents.js';
export * from './date-time.js';
export * from './decimal-integer.js';
export * from './notifications.js';
export * from './oauth.js';
export * from './portability.js';
export * from './priorities.js';
export * from './problem.js';
export * from './projects.js';
export * from './sse-events.js';
// recurrenceInput and its RECURRENCE_FROM build tasks.ts's create and update bodies; clients see those bodies.
export {
  description,
  type Recurrence,
  type Reminder,
  type ReminderInput,
  recurrence,
  reminder,
  reminderInput,
  tag,
  tags,
  title,
} from './task-fields.js';
export * from './tasks.js';
// TextRules only names text()'s options.
export { text } from './text.js';
// The bare DEAD_LETTER_TOPIC serves deadLetterTopicName, which applies the prefix rule.
export {
  allTopicNames,
  deadLetterTopicName,
  subscriptionPubsubName,
  TOPICS,
  type TopicKey,
  topicName,
} from './topics.js';
