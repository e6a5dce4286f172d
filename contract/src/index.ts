/** The public contract shared by the API, the console and the operator. */
export { type Config, ConfigError, configSchema, kafkaBrokers, loadConfig } from './api-config.js';
export { type CalendarFeedUrl, calendarFeedUrl } from './calendar.js';
export { allTopicNames, TOPICS, type TopicKey, topicName } from './topics.js';
