/**
 * `npm run bench:chat`: POST /api/v1/chat over loopback HTTP, 50 conversations at once (one user each, each
 * message waiting for the last), on real PostgreSQL.
 * 1. The deterministic planner: a conversation adds tasks, lists today's, searches, completes one by name
 *    (answering "which one?" when asked) and lists a tag. Target: p95 ≤ 100 ms.
 * 2. The model path against a local STAND-IN model (test/support/model-stand-in.ts) that answers every call
 *    after a fixed 500 ms: one tool call (list_tasks) and then the reply, so 1,000 ms of each message is the
 *    model's. The overhead is a message's time less that. Target: p95 ≤ 50 ms on top.
 * Each conversation waits BENCH_THINK_MS (default 1,000, each wait drawn from half to one and a half of it, the first from 0 to it: a person reading the reply and typing, not in lockstep) before its next
 * message; the deterministic planner is also measured back to back (no wait), which is the saturation figure.
 * A conversation that reaches its 200 turns starts a new one. Durations: BENCH_SECONDS (default 20) per phase;
 * BENCH_CONVERSATIONS (default 50) at once.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@todo/contract';
import { createDatabase, usePostgres } from '@todo/infra';
import { buildApp } from '../src/app.js';
import { PostgresDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { replay, startModelStandIn } from '../test/support/model-stand-in.js';
import { fmt, percentiles } from './stats.js';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1000);
const MODEL_LATENCY_MS = 500;
const TARGET_DETERMINISTIC_P95 = 100;
const TARGET_OVERHEAD_P95 = 50;

/** One user's conversation, message after message, until the deadline; the latency of each. */
async function converse(
  baseUrl: string,
  token: string,
  messages: (i: number, lastReply: string) => string,
  deadline: number,
  samples: number[],
  thinkMs: number,
): Promise<number> {
  let conversationId: string | undefined;
  let reply = '';
  let errors = 0;
  if (thinkMs) await new Promise((r) => setTimeout(r, Math.random() * thinkMs));
  for (let i = 0; performance.now() < deadline; i++) {
    const started = performance.now();
    const res = await fetch(`${baseUrl}/api/v1/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: messages(i, reply), conversationId, timeZone: 'Europe/Paris' }),
    });
    const body = (await res.json()) as { reply: string; conversationId: string };
    if (res.status === 409) conversationId = undefined;
    else if (res.status !== 200) errors++;
    else {
      samples.push(performance.now() - started);
      conversationId = body.conversationId;
      reply = body.reply;
    }
    // Half to one and a half times the wait, so the conversations do not send in lockstep.
    if (thinkMs) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
  }
  return errors;
}

const SCRIPT = [
  (n: number) => `add buy milk ${n} tomorrow at 9am #errands !high`,
  (n: number) => `add call the bank about card ${n} on friday remind me 1 hour before`,
  () => "what's due today?",
  () => 'search for milk',
  // Several tasks hold "milk" after a few rounds: the planner asks which one, and the next message picks.
  () => 'complete buy milk',
  (_n: number, last: string) => (/Which one/.test(last) ? 'the first one' : 'show #errands'),
  () => 'show this week',
];

async function signUp(baseUrl: string, i: number): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `chat-bench-${i}-${randomBytes(3).toString('hex')}@example.com`,
      password: 'correct horse battery',
    }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function phase(
  env: Record<string, string>,
  url: string,
  messages: (i: number, last: string, n: number) => string,
  thinkMs: number,
) {
  const db = new PostgresDatabase(url, { poolSize: 10 });
  const { server, events } = await buildApp({
    config: loadConfig({ CONSOLE_DIR: '/nonexistent', ...env }),
    db,
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  await events.start();
  const baseUrl = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  try {
    const tokens = await Promise.all(Array.from({ length: CONVERSATIONS }, (_, i) => signUp(baseUrl, i)));
    const samples: number[] = [];
    const deadline = performance.now() + SECONDS * 1000;
    const errors = await Promise.all(
      tokens.map((token, n) =>
        converse(baseUrl, token, (i, last) => messages(i, last, n), deadline, samples, thinkMs),
      ),
    );
    return { samples, errors: errors.reduce((a, b) => a + b, 0) };
  } finally {
    await server.close();
    await db.close();
  }
}

async function main(): Promise<void> {
  const pg = await usePostgres();
  const url = await createDatabase(pg.url, `chat_bench_${randomBytes(4).toString('hex')}`);
  const setup = new PostgresDatabase(url, { poolSize: 1 });
  await migrate(setup);
  await setup.close();
  const standIn = await startModelStandIn(
    replay(
      { toolCalls: [{ name: 'list_tasks', arguments: '{"view":"today"}' }] },
      { text: 'You have nothing due today.' },
    ),
    { latencyMs: MODEL_LATENCY_MS },
  );
  try {
    const script = (i: number, last: string, n: number) => SCRIPT[i % SCRIPT.length]!(n * 1000 + i, last);
    const deterministic = await phase({}, url, script, THINK_MS);
    const d = percentiles(deterministic.samples);
    const saturated = await phase({}, url, script, 0);
    const s = percentiles(saturated.samples);
    const model = await phase(
      { LLM_BASE_URL: standIn.url, LLM_MODEL: 'stand-in', LLM_TIMEOUT_MS: '20000' },
      url,
      () => "what's due today?",
      THINK_MS,
    );
    const modelShare = 2 * MODEL_LATENCY_MS;
    const overhead = percentiles(model.samples.map((ms) => ms - modelShare));
    const m = percentiles(model.samples);
    console.log(
      `chat, ${CONVERSATIONS} concurrent conversations, ${THINK_MS} ms between a reply and the next message, ${SECONDS} s per phase`,
    );
    console.log(
      `deterministic planner: ${deterministic.samples.length} messages (${fmt(deterministic.samples.length / SECONDS)}/s), ` +
        `p50 ${fmt(d.p50)} ms, p95 ${fmt(d.p95)} ms, p99 ${fmt(d.p99)} ms, errors ${deterministic.errors}; ` +
        `p95 / target ${TARGET_DETERMINISTIC_P95} ms = ${fmt(d.p95 / TARGET_DETERMINISTIC_P95, 2)}`,
    );
    console.log(
      `deterministic planner back to back (no wait): ${saturated.samples.length} messages (${fmt(saturated.samples.length / SECONDS)}/s), ` +
        `p50 ${fmt(s.p50)} ms, p95 ${fmt(s.p95)} ms, errors ${saturated.errors}`,
    );
    console.log(
      `stand-in model (${MODEL_LATENCY_MS} ms per call, 2 calls per message): ${model.samples.length} messages, ` +
        `total p50 ${fmt(m.p50)} ms, p95 ${fmt(m.p95)} ms; overhead p50 ${fmt(overhead.p50)} ms, p95 ${fmt(overhead.p95)} ms, ` +
        `errors ${model.errors}; overhead p95 / target ${TARGET_OVERHEAD_P95} ms = ${fmt(overhead.p95 / TARGET_OVERHEAD_P95, 2)}`,
    );
  } finally {
    await standIn.close();
    await pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
