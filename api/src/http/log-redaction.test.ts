import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { credentialSafeLogger, REDACTED, redactUrl } from './log-redaction.js';

describe('redactUrl', () => {
  it.each([
    ['/api/v1/stream?access_token=eyJ.a.b', `/api/v1/stream?access_token=${REDACTED}`],
    [
      '/api/v1/calendar.ics?x=1&ACCESS_TOKEN=eyJ&y=2',
      `/api/v1/calendar.ics?x=1&ACCESS_TOKEN=${REDACTED}&y=2`,
    ],
    ['/api/v1/stream?access%5Ftoken=eyJ', `/api/v1/stream?access%5Ftoken=${REDACTED}`],
    ['/x?token=a&token=b', `/x?token=${REDACTED}&token=${REDACTED}`],
    ['/api/v1/calendar/feeds/s3cr3t.ics', `/api/v1/calendar/feeds/${REDACTED}`],
    ['/api/v1/calendar/feeds/s3cr3t.ics?token=a', `/api/v1/calendar/feeds/${REDACTED}?token=${REDACTED}`],
    ['/oauth/consent?request=abc', `/oauth/consent?request=${REDACTED}`],
    ['/cb?code=abc&state=s', `/cb?code=${REDACTED}&state=s`],
    ['/api/v1/oauth/requests/abc/decision', `/api/v1/oauth/requests/${REDACTED}/decision`],
    ['/api/v1/tasks?q=token&tag=key', '/api/v1/tasks?q=token&tag=key'],
    ['/api/v1/tasks?%zz=1', '/api/v1/tasks?%zz=1'],
    ['/healthz', '/healthz'],
  ])('%s is logged as %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});

describe('credentialSafeLogger', () => {
  it('never writes a credential header, whatever object carries the headers', () => {
    const lines: string[] = [];
    const log = credentialSafeLogger(pino({ level: 'trace' }, { write: (line: string) => lines.push(line) }));
    const headers = {
      authorization: 'Bearer sekrit-1',
      cookie: 'session=sekrit-2',
      'dapr-api-token': 'sekrit-3',
      accept: 'text/html',
    };
    log.info({ headers }, 'plain');
    log.info({ req: { method: 'GET', url: '/a?token=sekrit-4', headers } }, 'request');
    log.child({ scope: 'x' }).warn({ response: { headers: { 'set-cookie': 'sekrit-5' } } }, 'child');
    const all = lines.join('');
    expect(all).not.toMatch(/sekrit/);
    expect(all).toContain('text/html');
    expect(lines).toHaveLength(3);
  });
});
