import { describe, expect, it } from 'vitest';
import { jwtExpiry } from './jwt.js';

const encode = (o: object) =>
  btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('JWT expiry', () => {
  it('reads exp as milliseconds', () => {
    expect(jwtExpiry(`${encode({ alg: 'HS256' })}.${encode({ sub: 'u1', exp: 1_900_000_000 })}.sig`)).toBe(
      1_900_000_000_000,
    );
  });

  it('decodes base64url payloads with characters outside base64', () => {
    const payload = encode({ name: '??>>??', exp: 1 });
    expect(payload).toMatch(/[-_]/);
    expect(jwtExpiry(`h.${payload}.s`)).toBe(1000);
  });

  it('answers null for tokens without exp or that are not JWTs', () => {
    expect(jwtExpiry(`h.${encode({ sub: 'u1' })}.s`)).toBeNull();
    expect(jwtExpiry('opaque-token')).toBeNull();
    expect(jwtExpiry('h.%%%.s')).toBeNull();
  });
});
