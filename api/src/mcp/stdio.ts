import { createRequire } from 'node:module';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { createMcpServer } from './mcp-server.js';
import { restBackend } from './rest-backend.js';

/** What `todo-mcp` needs from its environment. */
const stdioEnv = z.object({
  TODO_API_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of the todo API' }),
  TODO_TOKEN: z.string().trim().min(1, 'must be a token of the todo API'),
});

const USAGE = `todo-mcp serves the todo API's task tools to an MCP client over stdio. Set:
  TODO_API_URL  the API's address, such as https://todo.example.com or http://localhost:8080
  TODO_TOKEN    a bearer token of that API (the "token" that POST /api/v1/auth/login answers)`;

/** Reads the environment, or says on stderr what is missing and exits 2 (stdout belongs to the protocol). */
function readEnv(env: NodeJS.ProcessEnv): z.infer<typeof stdioEnv> {
  const parsed = stdioEnv.safeParse({ TODO_API_URL: env.TODO_API_URL, TODO_TOKEN: env.TODO_TOKEN });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) =>
    i.code === 'invalid_type' ? `  ${String(i.path[0])} is not set` : `  ${String(i.path[0])} ${i.message}`,
  );
  process.stderr.write(`todo-mcp cannot start:\n${problems.join('\n')}\n\n${USAGE}\n`);
  process.exit(2);
}

// The api workspace's version, from src/mcp or dist/mcp alike (without loading the whole API).
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
const env = readEnv(process.env);
const log = (message: string) => process.stderr.write(`${message}\n`);
const server = createMcpServer(
  restBackend({ apiUrl: env.TODO_API_URL, token: env.TODO_TOKEN, log }),
  version,
);
await server.connect(new StdioServerTransport());
