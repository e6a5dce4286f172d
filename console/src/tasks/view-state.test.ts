import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, type ViewState, viewFromQuery, viewToApiQuery, viewToQuery } from './view-state.js';

const fullView: ViewState = {
  q: 'rent',
  status: 'all',
  priority: ['high', 'urgent'],
  tags: ['home', 'money'],
  tagMode: 'all',
  dueAfter: '2026-11-01',
  dueBefore: '2026-11-30',
  overdue: true,
  recurring: true,
  sort: '-priority',
};

describe('filters ↔ URL', () => {
  it('round-trips every filter through the query string', () => {
    const url = viewToQuery(fullView).toString();
    expect(url).toBe(
      'q=rent&status=all&priority=high%2Curgent&tag=home&tag=money&tagMode=all&dueAfter=2026-11-01&dueBefore=2026-11-30&overdue=true&recurring=true&sort=-priority',
    );
    expect(viewFromQuery(new URLSearchParams(url))).toEqual(fullView);
  });

  it('gives the default view an empty query string', () => {
    expect(viewToQuery(DEFAULT_VIEW).toString()).toBe('');
    expect(viewFromQuery(new URLSearchParams(''))).toEqual(DEFAULT_VIEW);
  });

  it('drops what it does not understand instead of breaking a shared link', () => {
    const view = viewFromQuery(
      new URLSearchParams(
        'status=later&priority=high,extreme&sort=colour&dueBefore=2026-02-30&tag=%20Home%20&tag=home',
      ),
    );
    expect(view).toEqual({ ...DEFAULT_VIEW, priority: ['high'], tags: ['home'] });
  });

  it('asks the API for whole days in the user zone', () => {
    const query = viewToApiQuery(fullView, 'Europe/Paris', { limit: 100, cursor: 'abc' });
    expect(Object.fromEntries(query)).toMatchObject({
      status: 'all',
      sort: '-priority',
      limit: '100',
      cursor: 'abc',
      dueAfter: '2026-10-31T23:00:00.000Z',
      dueBefore: '2026-11-30T23:00:00.000Z',
      tagMode: 'all',
    });
    expect(query.getAll('tag')).toEqual(['home', 'money']);
  });
});
