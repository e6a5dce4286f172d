import { describe, expect, it } from 'vitest';
import { type ApiEnv, ConfigError, loadConfig } from '../src/api-config.js';

describe('configuration', () => {
  it('has working defaults for the embedded mode', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 8080,
      DATA_DIR: './.data',
      EVENT_BUS: 'memory',
      PUBSUB_NAME: 'kafka-pubsub',
      REMINDER_BACKEND: 'database',
    });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ EVENT_BUS: 'rabbit' }, 'EVENT_BUS'],
    [{ EVENT_BUS: 'kafka' }, 'KAFKA_BROKERS'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ JWT_JWKS_URL: 'https://idp.example.com/jwks' }, 'JWT_ISSUER'],
    [{ REMINDER_BACKEND: 'cron' }, 'REMINDER_BACKEND'],
    [{ TOPIC_PREFIX: 'has spaces' }, 'TOPIC_PREFIX'],
    [{ DB_PREPARED_STATEMENTS: 'yes' }, 'DB_PREPARED_STATEMENTS'],
    [{ LLM_BASE_URL: 'https://llm.example.com/v1' }, 'LLM_MODEL'],
    [{ LLM_BASE_URL: 'ftp://llm.example.com', LLM_MODEL: 'm' }, 'LLM_BASE_URL'],
    [{ LLM_MAX_STEPS: '0' }, 'LLM_MAX_STEPS'],
    [{ LLM_TIMEOUT_MS: '999999' }, 'LLM_TIMEOUT_MS'],
    [{ STATESTORE_NAME: 'Not A Component' }, 'STATESTORE_NAME'],
    [{ TRUST_PROXY: 'the ingress' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '1' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/8; rm -rf' }, 'TRUST_PROXY'],
    [{ OAUTH_REGISTRATIONS_PER_HOUR: '-1' }, 'OAUTH_REGISTRATIONS_PER_HOUR'],
  ])('rejects %j with one line naming %s', (env, name) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(name);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['uniquelocal', 'uniquelocal'],
    ['10.0.0.0/8, fd00::/8', '10.0.0.0/8, fd00::/8'],
  ])('reads TRUST_PROXY=%j as Fastify trustProxy %j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it('never echoes a secret', () => {
    expect(() => loadConfig({ JWT_SECRET: 'tooshort-secret' })).toThrow(/^(?!.*tooshort).*$/);
  });

  it('types a rendered env by the variables the API reads', () => {
    const rendered: ApiEnv = {
      PORT: '8080',
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: 'redpanda:9092',
      // @ts-expect-error a variable the API does not read is a compile error (the typecheck fails without it)
      KAFKA_BROKER: 'redpanda:9092',
    };
    expect(loadConfig(rendered)).toMatchObject({ PORT: 8080, EVENT_BUS: 'kafka' });
  });

  it('reads the assistant model settings with their bounds, and names none of the key in an error', () => {
    const c = loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'm', LLM_API_KEY: ' sk-1 ' });
    expect(c).toMatchObject({
      LLM_API_KEY: 'sk-1',
      LLM_MAX_STEPS: 6,
      LLM_MAX_TOKENS: 1024,
      LLM_TIMEOUT_MS: 20_000,
    });
    expect(() => loadConfig({ LLM_API_KEY: 'sk-secret-value', LLM_BASE_URL: 'nope' })).toThrow(ConfigError);
    const error = (() => {
      try {
        loadConfig({ LLM_API_KEY: 'sk-secret-value', LLM_MAX_TOKENS: 'many' });
      } catch (err) {
        return err as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toContain('LLM_MAX_TOKENS');
    expect(error!.message).not.toContain('sk-secret-value');
  });
});
