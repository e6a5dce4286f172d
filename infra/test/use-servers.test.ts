import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InfraUnavailableError, useKafka, usePostgres } from '../src/index.js';
import { ensureKafkaJars, findJava } from '../src/kafka-jars.js';

const saved = { ...process.env };
afterEach(() => {
  for (const name of ['KAFKA_BROKERS', 'DATABASE_URL', 'JAVA_HOME', 'PATH', 'XDG_CACHE_HOME']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('useKafka / usePostgres', () => {
  it('use the broker named by KAFKA_BROKERS without starting one', async () => {
    process.env.KAFKA_BROKERS = '10.0.0.1:9092,10.0.0.2:9092';
    const kafka = await useKafka();
    expect(kafka.brokers).toEqual(['10.0.0.1:9092', '10.0.0.2:9092']);
    expect(kafka.server).toBeUndefined();
    await kafka.stop();
  });

  it('refuse a malformed KAFKA_BROKERS, naming the variable', async () => {
    process.env.KAFKA_BROKERS = 'localhost';
    await expect(useKafka()).rejects.toThrow(/KAFKA_BROKERS must be a comma list of host:port/);
  });

  it('use the server named by DATABASE_URL without starting one', async () => {
    process.env.DATABASE_URL = 'postgres://app@db.example:5432/todo';
    const pg = await usePostgres();
    expect(pg.url).toBe('postgres://app@db.example:5432/todo');
    expect(pg.server).toBeUndefined();
    await pg.stop();
  });
});

describe('when the Kafka harness cannot run', () => {
  it('names Java when there is no java to run', () => {
    process.env.JAVA_HOME = '/nonexistent-jdk';
    expect(() => findJava()).toThrow(InfraUnavailableError);
    expect(() => findJava()).toThrow(/Java 17\+ \(`\/nonexistent-jdk\/bin\/java`\) not found/);
  });

  it('names Maven when the jars are not cached and mvn is missing, leaving no cache behind', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'todo-cache-'));
    try {
      process.env.XDG_CACHE_HOME = cache;
      process.env.PATH = '/nonexistent-bin';
      const fetching = ensureKafkaJars('4.4.0');
      await expect(fetching).rejects.toThrow(InfraUnavailableError);
      await expect(fetching).rejects.toThrow(/Maven \(`mvn`\) not found/);
      expect(existsSync(join(cache, 'todo-operator', 'kafka-4.4.0', 'libs'))).toBe(false);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
