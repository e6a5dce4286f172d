import { describe, expect, it } from 'vitest';
import { shortcutFor } from './keymap.js';

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('keyboard shortcuts', () => {
  it('maps the documented keys', () => {
    expect(['n', '/', 'j', 'k', 'x', 'e', 'z', 'c', '?'].map((k) => shortcutFor(key(k), false))).toEqual([
      'new',
      'search',
      'down',
      'up',
      'complete',
      'open',
      'undo',
      'chat',
      'help',
    ]);
  });

  it('leaves typing alone, except Escape', () => {
    expect(shortcutFor(key('n'), true)).toBeNull();
    expect(shortcutFor(key('Escape'), true)).toBe('escape');
  });

  it('leaves browser shortcuts alone', () => {
    expect(shortcutFor(key('n', { ctrlKey: true }), false)).toBeNull();
  });
});
