import { describe, expect, it } from 'vitest';
import { periodOf, periodRange, periodShown, PERIODS } from './periods.ts';

describe('periodRange', () => {
  it('gives months, quarters and years around today, both ends included', () => {
    const today = '2026-02-14';
    expect(periodRange('this-month', today)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodRange('last-month', today)).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(periodRange('this-quarter', today)).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodRange('last-quarter', today)).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(periodRange('this-year', today)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodRange('last-year', today)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(periodRange('last-12-months', today)).toEqual({ from: '2025-02-15', to: '2026-02-14' });
    expect(periodRange('next-12-months', today)).toEqual({ from: '2026-02-14', to: '2027-02-13' });
  });

  it('crosses year ends and leap days', () => {
    expect(periodRange('last-month', '2027-01-05')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(periodRange('this-month', '2028-02-29')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodRange('this-quarter', '2026-12-31')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(periodRange('last-quarter', '2026-03-31')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(periodRange('last-12-months', '2028-02-29')).toEqual({ from: '2027-03-01', to: '2028-02-29' });
  });
});

describe('periodOf', () => {
  it('names the period the days are, on the same day, and says custom for any other days', () => {
    const today = '2026-08-20';
    for (const { key } of PERIODS) expect(periodOf(periodRange(key, today), today)).toBe(key);
    expect(periodOf({ from: '2026-01-01', to: '2026-08-20' }, today)).toBe('custom');
    expect(periodOf({ from: '2026-07-01' }, today)).toBe('custom');
  });

  it('reads a shared link by the day it is opened: last month on another day is custom', () => {
    const range = periodRange('last-month', '2026-08-20');
    expect(periodOf(range, '2026-09-02')).toBe('custom');
  });
});

describe('periodShown', () => {
  it('reads the last 12 months without days, the next 12 for the forecast, and keeps days named', () => {
    const today = '2026-08-20';
    expect(periodShown('funnel', {}, today)).toEqual({ from: '2025-08-21', to: '2026-08-20' });
    expect(periodShown('forecast', {}, today)).toEqual({ from: '2026-08-20', to: '2027-08-19' });
    expect(periodShown('losses', { from: '2026-01-01', to: '2026-03-31' }, today)).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodShown('losses', { from: '2026-01-01' }, today)).toEqual({ from: '2026-01-01', to: '2026-08-20' });
    expect(periodShown('losses', { to: '2026-03-31' }, today)).toEqual({ from: '2025-08-21', to: '2026-03-31' });
    // One end beyond the default's other: the period is that day.
    expect(periodShown('losses', { from: '2026-09-01' }, today)).toEqual({ from: '2026-09-01', to: '2026-09-01' });
    expect(periodShown('forecast', { to: '2026-01-31' }, today)).toEqual({ from: '2026-01-31', to: '2026-01-31' });
  });
});
