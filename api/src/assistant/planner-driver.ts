/** Runs a plan with outcomes given in order (tests, the benchmark): the calls it made and how it ended. */
import type { Plan, PlanOutcome, ToolCall, ToolOutcome } from './planner.js';

export function drivePlan(
  plan: Plan,
  outcomes: readonly ToolOutcome[],
): { calls: ToolCall[]; outcome: PlanOutcome } {
  const calls: ToolCall[] = [];
  let step = plan.next();
  while (!step.done) {
    calls.push(step.value);
    const given = outcomes[calls.length - 1] ?? { ok: true, result: { items: [] } };
    step = plan.next(given);
  }
  return { calls, outcome: step.value };
}
