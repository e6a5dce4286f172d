/**
 * The rrule library's RRule class, whichever way the module is loaded. rrule ships a UMD bundle: Node's ESM
 * loader exposes it only as `default`, while CommonJS interop (tsx, bundlers) exposes named exports.
 */
import * as rruleModule from 'rrule';

type RRuleModule = typeof rruleModule;
const loaded = rruleModule as RRuleModule & { default?: RRuleModule };

export const RRule = (loaded.default ?? loaded).RRule;
export type { Options as RRuleOptions } from 'rrule';
