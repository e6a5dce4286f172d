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
});
