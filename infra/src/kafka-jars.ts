import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot, InfraUnavailableError, run } from './process.js';

/** The Apache Kafka release the harness runs; its jars are cached per version. */
export const KAFKA_VERSION = '4.4.0';

// Kafka's pom leaves the logging backend to the distribution; we add log4j so broker errors reach kafka.log.
const LOG4J_VERSION = '2.24.3';

/** Returns the `java` to run Kafka with (JAVA_HOME first, then PATH), or throws naming what is missing. */
export function findJava(): string {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new InfraUnavailableError(
      `Java 17+ (\`${java}\`) not found: install a JDK (apt-get install openjdk-17-jre-headless), set JAVA_HOME, or set KAFKA_BROKERS to an existing broker`,
    );
  }
  const major = Number(/version "(\d+)/.exec(probe.stderr)?.[1]);
  if (!(major >= 17)) {
    throw new InfraUnavailableError(
      `Kafka ${KAFKA_VERSION} needs Java 17+, but \`${java}\` is Java ${major || 'unknown'}`,
    );
  }
  return java;
}

function runtimePom(version: string): string {
  const dep = (group: string, artifact: string, v: string) =>
    `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${v}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.todo.harness</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', 'kafka_2.13', version)}
    ${dep('org.apache.logging.log4j', 'log4j-core', LOG4J_VERSION)}
    ${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

/**
 * Returns the folder holding Kafka's runtime classpath, fetching it once from Maven Central with `mvn`.
 * Fetches go to a private staging folder and are renamed into place, so concurrent test processes never
 * see a half-filled cache.
 */
export async function ensureKafkaJars(version = KAFKA_VERSION): Promise<string> {
  const home = join(cacheRoot(), `kafka-${version}`);
  const libs = join(home, 'libs');
  if (existsSync(libs)) return libs;
  if (spawnSync('mvn', ['-v']).error) {
    throw new InfraUnavailableError(
      `Maven (\`mvn\`) not found: it fetches the Kafka ${version} jars once into ${libs}; install it (apt-get install maven) or set KAFKA_BROKERS`,
    );
  }
  await mkdir(home, { recursive: true });
  const staging = await mkdtemp(join(home, '.fetch-'));
  try {
    await writeFile(join(staging, 'pom.xml'), runtimePom(version));
    await run(
      'mvn',
      [
        '-q',
        '-B',
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${join(staging, 'libs')}`,
      ],
      { cwd: staging, timeoutMs: 15 * 60_000 },
    ).catch((err: unknown) => {
      throw new InfraUnavailableError(
        `could not fetch Kafka ${version} from Maven Central: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    await rename(join(staging, 'libs'), libs).catch((err: NodeJS.ErrnoException) => {
      // Another process finished first; its copy is as good as ours.
      if (!existsSync(libs)) throw err;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return libs;
}
