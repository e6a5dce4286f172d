import type { TurnInput, TurnPlanner } from './chat.service.js';
import { planTurn } from './planner.js';

/** The planner without a model: planner.ts's English patterns, each tool call run as the plan asks for it. */
export const deterministicPlanner: TurnPlanner = {
  async plan({ message, conversation, timeZone, now, runTool, sink }: TurnInput) {
    const plan = planTurn(message, { now, timeZone, state: conversation.state });
    let step = plan.next();
    while (!step.done) step = plan.next(await runTool(step.value));
    const { reply, state } = step.value;
    // The reply is formed whole; it is sent line by line, as a model's would arrive.
    for (const line of reply.split(/(?<=\n)/)) sink.delta(line);
    return { reply, state };
  },
};
