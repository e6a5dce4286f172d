import { describe, expect, it } from 'vitest';
import { failed, ok, readyOutcome, setCondition, transitions } from './conditions.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:05:00Z';

describe('setCondition', () => {
  it.each([
    ['a new condition', [], ok('A', 'fine'), T1],
    [
      'same status, new reason',
      [{ type: 'Ready', status: 'True' as const, reason: 'Old', message: '', lastTransitionTime: T0 }],
      ok('New', 'fine'),
      T0,
    ],
    [
      'status flips',
      [{ type: 'Ready', status: 'True' as const, reason: 'Old', message: '', lastTransitionTime: T0 }],
      failed('Broken', 'no'),
      T1,
    ],
  ])('%s: lastTransitionTime is %s', (_, before, outcome, expected) => {
    const [c] = setCondition(before, 'Ready', outcome, 3, T1);
    expect(c).toMatchObject({
      type: 'Ready',
      reason: outcome.reason,
      message: outcome.message,
      observedGeneration: 3,
      lastTransitionTime: expected,
    });
  });

  it('keeps one entry per type in a stable order', () => {
    let list = setCondition([], 'TopicsReady', ok('x', ''), 1, T0);
    list = setCondition(list, 'Ready', ok('x', ''), 1, T0);
    list = setCondition(list, 'TopicsReady', failed('y', ''), 1, T1);
    expect(list.map((c) => c.type)).toEqual(['Ready', 'TopicsReady']);
  });
});

describe('transitions', () => {
  it('reports only conditions whose status changed', () => {
    const before = setCondition(
      setCondition([], 'Ready', ok('a', ''), 1, T0),
      'TopicsReady',
      ok('a', ''),
      1,
      T0,
    );
    const after = setCondition(
      setCondition(before, 'Ready', failed('b', ''), 1, T1),
      'TopicsReady',
      ok('c', 'new message'),
      1,
      T1,
    );
    expect(transitions(before, after).map((t) => [t.type, t.from, t.to.status])).toEqual([
      ['Ready', 'True', 'False'],
    ]);
  });
});

describe('readyOutcome', () => {
  it('is ready only when every part is, and otherwise names the first failing part', () => {
    const fine = ok('ok', 'ok');
    expect(readyOutcome({ DatabaseReady: fine, TopicsReady: fine, DeploymentAvailable: fine }).ok).toBe(true);
    const r = readyOutcome({
      DatabaseReady: fine,
      TopicsReady: failed('KafkaUnavailable', 'no brokers'),
      DeploymentAvailable: fine,
    });
    expect(r).toEqual({ ok: false, reason: 'KafkaUnavailable', message: 'TopicsReady: no brokers' });
  });
});
