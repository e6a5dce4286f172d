/** The public contract shared by the API, the console and the operator. */
export { allTopicNames, TOPICS, type TopicKey, topicName } from './topics.js';
