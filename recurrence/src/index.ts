/** The recurrence and time-zone core: pure functions, no I/O. */
export * from './describe.js';
export * from './first-occurrence.js';
export * from './next-occurrence.js';
export * from './parse-rule-parts.js';
export * from './reminder-times.js';
export * from './rrule-module.js';
export * from './rrule-validation.js';
export * from './rule-parts.js';
export * from './series-anchor.js';
export * from './time-zone.js';
