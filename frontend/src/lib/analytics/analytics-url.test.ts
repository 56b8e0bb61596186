import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER, filterOfUrl, queryString, reportQuery, urlOfFilter } from './analytics-url.ts';

const params = (query: string) => new URL(`https://app.example/analytics?${query}`).searchParams;

describe('the analytics filter in the URL', () => {
  it('reads every filter, and writes back only what differs from the defaults', () => {
    const filter = filterOfUrl(params('report=losses&pipeline=renewals&owner=u-1&team=t-1&from=2026-01-01&to=2026-03-31&conversion=skipped&by=owner'));
    expect(filter).toEqual({ report: 'losses', pipeline: 'renewals', owner: 'u-1', team: 't-1', from: '2026-01-01', to: '2026-03-31', conversion: 'skipped', by: 'owner' });
    const url = urlOfFilter(new URL('https://app.example/analytics?other=kept'), filter);
    expect(url.search).toBe('?other=kept&report=losses&pipeline=renewals&owner=u-1&team=t-1&from=2026-01-01&to=2026-03-31&conversion=skipped&by=owner');
    expect(filterOfUrl(url.searchParams)).toEqual(filter);
    expect(urlOfFilter(new URL('https://app.example/analytics?report=velocity&from=2026-01-01'), DEFAULT_FILTER).search).toBe('');
  });

  it('leaves out what the API would refuse rather than failing the page', () => {
    expect(filterOfUrl(params('report=pie&conversion=sideways&by=year&from=2026-13-01'))).toEqual(DEFAULT_FILTER);
    // Days refused together: the start after the end.
    expect(filterOfUrl(params('from=2026-03-01&to=2026-01-01'))).toEqual(DEFAULT_FILTER);
    expect(filterOfUrl(params(`owner=${'x'.repeat(500)}&team=`))).toEqual(DEFAULT_FILTER);
  });
});

describe('reportQuery', () => {
  it('sends the conversion to the funnel only, the grouping to won and lost only, and the days always', () => {
    const today = '2026-08-20';
    const filter = { ...DEFAULT_FILTER, conversion: 'skipped' as const, by: 'owner' as const, owner: 'u-1', from: '2026-01-01', to: '2026-06-30' };
    expect(reportQuery({ ...filter, report: 'funnel' }, 'default', today)).toEqual({ pipeline: 'default', owner: 'u-1', from: '2026-01-01', to: '2026-06-30', conversion: 'skipped' });
    expect(reportQuery({ ...filter, report: 'won-lost' }, 'default', today)).toEqual({ pipeline: 'default', owner: 'u-1', from: '2026-01-01', to: '2026-06-30', by: 'owner' });
    expect(reportQuery({ ...DEFAULT_FILTER, report: 'losses', team: 't-1' }, 'renewals', today)).toEqual({ pipeline: 'renewals', team: 't-1', from: '2025-08-21', to: '2026-08-20' });
    expect(reportQuery({ ...DEFAULT_FILTER, report: 'forecast' }, 'renewals', today)).toEqual({ pipeline: 'renewals', from: '2026-08-20', to: '2027-08-19' });
    expect(queryString({ pipeline: 'a b', owner: undefined, cell: 'stages/won' })).toBe('pipeline=a+b&cell=stages%2Fwon');
  });
});
