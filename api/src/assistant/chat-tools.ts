/** The task tools as the chat calls them: by name, for one user, every refusal turned into a value. */
import { AppError } from '../http/errors.js';
import type { ToolCall, ToolOutcome } from './planner.js';
import { toolErrorText } from './tool-definitions.js';
import type { AssistantTool } from './tools.js';

/** What the chat needs of a task tool (tools.ts's AssistantTool): its description for a model, and `call`. */
export type ChatTool = Pick<AssistantTool, 'name' | 'description' | 'inputSchema' | 'call'>;

/**
 * Calls one tool for `userId`. A tool that does not exist, arguments its schema refuses, or a task the user
 * cannot see come back as `{ok: false, error}` (nothing was written); anything else is the server's own
 * failure and is thrown.
 */
export async function callTool(
  tools: ReadonlyMap<string, ChatTool>,
  userId: string,
  call: ToolCall,
): Promise<ToolOutcome> {
  const tool = tools.get(call.tool);
  if (!tool)
    return { ok: false, error: `There is no tool named ${JSON.stringify(call.tool.slice(0, 100))}.` };
  try {
    return { ok: true, result: await tool.call({ userId }, call.arguments) };
  } catch (err) {
    if (err instanceof AppError && err.status < 500)
      return { ok: false, error: toolErrorText(err.message, err.errors) };
    throw err;
  }
}
