import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Task } from '@todo/contract';
import { expect, it } from 'vitest';
import { TOOL_DEFINITIONS } from '../../src/assistant/tool-definitions.js';

/** Connects the SDK's own client over a transport. */
export async function connectClient(transport: Transport): Promise<Client> {
  const client = new Client({ name: 'todo-tests', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** Calls a tool; the result as the SDK client returns it (its structured content checked against the schema). */
export const callTool = (client: Client, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

/** The structured result of a call that must succeed. */
export async function resultOf<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const result = await callTool(client, name, args);
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  // The text content carries the same value, for clients that read only text.
  const text = (result.content[0] as { text: string }).text;
  expect(JSON.parse(text)).toEqual(result.structuredContent);
  return result.structuredContent as T;
}

/** The text of a call that must fail as a tool error (not a protocol error). */
export async function errorOf(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = await callTool(client, name, args);
  expect(result.isError, `${name} should fail`).toBe(true);
  return (result.content[0] as { text: string }).text;
}

const titles = (page: { items: Task[] }) => page.items.map((t) => t.title);

/** Lists the tools and checks what every transport must say of them. */
export async function expectToolList(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(TOOL_DEFINITIONS.map((d) => d.name));
  const by = Object.fromEntries(tools.map((t) => [t.name, t]));
  for (const tool of tools) {
    expect(tool.inputSchema.type).toBe('object');
    expect(tool.outputSchema?.type).toBe('object');
    expect(tool.title).toEqual(expect.any(String));
    expect(tool.annotations).toMatchObject({
      readOnlyHint: expect.any(Boolean),
      destructiveHint: expect.any(Boolean),
      idempotentHint: expect.any(Boolean),
      openWorldHint: false,
    });
  }
  expect(by.add_task?.inputSchema).toMatchObject({
    required: ['title'],
    additionalProperties: false,
    properties: { title: { type: 'string', maxLength: 500 } },
  });
  expect(Object.keys(by.list_tasks?.inputSchema.properties ?? {})).toEqual(
    expect.arrayContaining(['status', 'priority', 'tag', 'overdue', 'view', 'sort', 'limit', 'cursor']),
  );
  expect(tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name)).toEqual([
    'list_tasks',
    'search_tasks',
    'list_notifications',
  ]);
  expect(by.delete_task?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });
  expect(by.add_task?.annotations).toMatchObject({ destructiveHint: false, idempotentHint: false });
}

/** Calls every tool once, as a user would in a conversation, and checks each answer. */
export async function expectEveryToolWorks(client: Client): Promise<void> {
  const added = await resultOf<Task>(client, 'add_task', {
    title: 'Water the plants',
    tags: ['Garden'],
    priority: 'high',
    dueAt: '2031-03-01T08:00:00+01:00',
  });
  expect(added).toMatchObject({
    title: 'Water the plants',
    tags: ['garden'],
    dueAt: '2031-03-01T07:00:00.000Z',
  });
  await resultOf(client, 'add_task', { title: 'Read a book', priority: 'low' });

  expect(titles(await resultOf(client, 'list_tasks', { tag: 'garden' }))).toEqual(['Water the plants']);
  expect(titles(await resultOf(client, 'list_tasks', { priority: 'low', limit: 5, overdue: false }))).toEqual(
    ['Read a book'],
  );
  expect(titles(await resultOf(client, 'search_tasks', { q: 'plant' }))).toEqual(['Water the plants']);

  const updated = await resultOf<Task>(client, 'update_task', { id: added.id, title: 'Water the roses' });
  expect(updated).toMatchObject({ id: added.id, title: 'Water the roses', tags: ['garden'] });
  const reminded = await resultOf<Task>(client, 'set_reminder', {
    id: added.id,
    reminder: { before: 'PT30M' },
  });
  expect(reminded.reminders).toEqual([{ id: expect.any(String), before: 'PT30M' }]);
  expect(await resultOf(client, 'complete_task', { id: added.id })).toMatchObject({ completed: true });
  expect(await resultOf(client, 'reopen_task', { id: added.id })).toMatchObject({ completed: false });
  expect(await resultOf(client, 'list_notifications', { limit: 10 })).toMatchObject({
    items: expect.any(Array),
    unread: expect.any(Number),
  });
  expect(await resultOf(client, 'delete_task', { id: added.id })).toEqual({ id: added.id, trashed: true });
  expect(titles(await resultOf(client, 'list_tasks', { status: 'all' }))).toEqual(['Read a book']);
}

/** Wrong arguments come back as tool errors carrying the validation message of each field. */
export async function expectValidationErrors(client: Client): Promise<void> {
  expect(await errorOf(client, 'add_task', { title: '' })).toMatch(
    /^The arguments of add_task are invalid\.\ntitle: /,
  );
  expect(await errorOf(client, 'add_task', { title: 'x', colour: 'red' })).toContain(
    'colour: is not a known field',
  );
  expect(await errorOf(client, 'list_tasks', { limit: 500 })).toMatch(/\nlimit: /);
  expect(
    await errorOf(client, 'set_reminder', {
      id: '00000000-0000-4000-8000-000000000000',
      reminder: { before: 'PT1H', remindAt: '2031-01-01T00:00:00Z' },
    }),
  ).toContain('reminder: needs exactly one of remindAt or before');
  // A rule the schema cannot see, checked by the service: the same kind of tool error.
  const noDue = await resultOf<Task>(client, 'add_task', { title: 'No date' });
  expect(await errorOf(client, 'set_reminder', { id: noDue.id, reminder: { before: 'PT1H' } })).toMatch(
    /^The task is invalid\./,
  );
  await expect(client.callTool({ name: 'drop_database', arguments: {} })).rejects.toThrow(/Unknown tool/);
}

/** User B sees nothing of user A's and cannot touch A's task: "not found". */
export async function expectIsolation(alice: Client, bob: Client): Promise<void> {
  const secret = await resultOf<Task>(alice, 'add_task', { title: 'Surprise party', tags: ['secret'] });
  for (const [name, args] of [
    ['complete_task', { id: secret.id }],
    ['update_task', { id: secret.id, title: 'Spoiled' }],
    ['delete_task', { id: secret.id }],
    ['set_reminder', { id: secret.id, reminder: { remindAt: '2031-01-01T00:00:00Z' } }],
  ] as const) {
    expect(await errorOf(bob, name, args), name).toBe(`Task ${secret.id} does not exist.`);
  }
  expect(titles(await resultOf(bob, 'search_tasks', { q: 'surprise' }))).toEqual([]);
  expect(titles(await resultOf(bob, 'list_tasks', { tag: 'secret', status: 'all' }))).toEqual([]);
  const openTasks = await bob.readResource({ uri: 'todo://tasks/open' });
  expect((openTasks.contents[0] as { text: string }).text).not.toContain('Surprise');
  expect(await resultOf(alice, 'search_tasks', { q: 'surprise' })).toMatchObject({
    items: [{ id: secret.id, title: 'Surprise party', completed: false, version: secret.version }],
  });
}

/** The tags and open tasks resources. */
export async function expectResources(client: Client): Promise<void> {
  const { resources } = await client.listResources();
  expect(resources.map((r) => r.uri)).toEqual(['todo://tags', 'todo://tasks/open']);
  await resultOf(client, 'add_task', { title: 'Tagged', tags: ['errand', 'town'] });
  const tags = await client.readResource({ uri: 'todo://tags' });
  expect(tags.contents[0]).toMatchObject({ uri: 'todo://tags', mimeType: 'application/json' });
  expect(JSON.parse((tags.contents[0] as { text: string }).text)).toEqual(
    expect.arrayContaining([{ name: 'errand', count: 1 }]),
  );
  const open = await client.readResource({ uri: 'todo://tasks/open' });
  const page = JSON.parse((open.contents[0] as { text: string }).text) as { items: Task[] };
  expect(page.items.every((t) => !t.completed)).toBe(true);
  expect(titles(page)).toContain('Tagged');
  await expect(client.readResource({ uri: 'todo://nothing' })).rejects.toThrow(/not found/i);
}

/** What every transport must do, as tests of the enclosing block; the clients are connected in its hooks. */
export function itServesTheTaskTools(clients: () => { alice: Client; bob: Client }): void {
  it('lists the task tools with their schemas and annotations', () => expectToolList(clients().alice));
  it('calls every tool', () => expectEveryToolWorks(clients().alice));
  it('answers wrong arguments with tool errors carrying the validation message', () =>
    expectValidationErrors(clients().alice));
  it("keeps users apart: another user's task is not found", () =>
    expectIsolation(clients().alice, clients().bob));
  it("serves the user's tags and open tasks as resources", () => expectResources(clients().alice));
}
