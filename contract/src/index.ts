/** The public contract shared by the API, the console and the operator. */

export { type ActivityEntry, activityPage, activityQuery } from './activity.js';
export {
  type ApiEnv,
  type ApiEnvVariable,
  type Config,
  ConfigError,
  configSchema,
  kafkaBrokers,
  loadConfig,
} from './api-config.js';
export { loginBody, type Session, session, signupBody, type User, user } from './auth.js';
export { type CalendarFeedUrl, calendarFeedUrl } from './calendar.js';
export {
  type CloudEvent,
  cloudEvent,
  EVENT_SOURCE,
  isCloudEvent,
  NOTIFICATION_CREATED,
  REMINDER_DUE,
  TASK_EVENT_TYPES,
  type TaskEventType,
} from './cloudevents.js';
export { cursor, dateTime, timeZone } from './date-time.js';
export { decimalInteger } from './decimal-integer.js';
export {
  type Notification,
  type NotificationList,
  notification,
  notificationIdParams,
  notificationList,
} from './notifications.js';
export { PRIORITIES, type Priority } from './priorities.js';
export { type FieldError, type Problem, problemSchema, UNPROCESSABLE } from './problem.js';
export { SSE_EVENT_BY_CLOUDEVENT_TYPE, SSE_EVENT_NAMES, type SseEventName } from './sse-events.js';
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
export {
  type CreateTaskInput,
  createTaskBody,
  type ListTasksQuery,
  listTasksQuery,
  type Page,
  SORTS,
  type SortField,
  type TagCount,
  type Task,
  type TaskInput,
  tagCount,
  task,
  taskIdParams,
  taskPage,
  type UpdateTaskInput,
  updateTaskBody,
} from './tasks.js';
export { text } from './text.js';
export {
  allTopicNames,
  deadLetterTopicName,
  TOPICS,
  type TopicKey,
  topicName,
} from './topics.js';
