import { describe, expect, it } from 'vitest';
import { verifiesS256 } from './pkce.js';
import { redirectUriAllowed, redirectUriProblem } from './redirect-uri.js';

describe('redirect URIs', () => {
  it.each([
    ['https://app.example.com/callback', undefined],
    ['http://127.0.0.1:33418/callback', undefined],
    ['http://localhost/cb', undefined],
    ['http://[::1]:8080/cb', undefined],
    ['com.example.app:/oauth2redirect', undefined],
    ['http://app.example.com/callback', 'must be https (http only on a loopback host)'],
    ['https://app.example.com/cb#frag', 'must not have a fragment'],
    ['https://user:pw@app.example.com/cb', 'must not carry credentials'],
    ['javascript:alert(1)', 'must be https, http on a loopback host, or a reverse-domain private-use scheme'],
    ['data:text/html,hi', 'must be https, http on a loopback host, or a reverse-domain private-use scheme'],
    ['/relative', 'is not an absolute URI'],
  ])('%s: %s', (uri, problem) => {
    expect(redirectUriProblem(uri)).toBe(problem);
  });

  it('matches exactly, except a loopback URI on any port', () => {
    const registered = ['https://app.example.com/cb', 'http://127.0.0.1:1234/callback'];
    expect(redirectUriAllowed('https://app.example.com/cb', registered)).toBe(true);
    expect(redirectUriAllowed('https://app.example.com/cb/', registered)).toBe(false);
    expect(redirectUriAllowed('https://app.example.com:8443/cb', registered)).toBe(false);
    expect(redirectUriAllowed('http://127.0.0.1:50123/callback', registered)).toBe(true);
    expect(redirectUriAllowed('http://127.0.0.1/callback', registered)).toBe(true);
    expect(redirectUriAllowed('http://127.0.0.1:50123/other', registered)).toBe(false);
    expect(redirectUriAllowed('http://localhost:50123/callback', registered)).toBe(false);
    expect(redirectUriAllowed('http://127.0.0.1:50123/callback?x=1', registered)).toBe(false);
  });
});

describe('PKCE S256', () => {
  // RFC 7636 appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
  it('accepts the verifier its challenge was made from and nothing else', () => {
    expect(verifiesS256(verifier, challenge)).toBe(true);
    expect(verifiesS256(`${verifier.slice(0, -1)}l`, challenge)).toBe(false);
    expect(verifiesS256(challenge, challenge)).toBe(false);
    expect(verifiesS256('short', challenge)).toBe(false);
  });
});
