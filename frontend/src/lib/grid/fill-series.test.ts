import { describe, expect, it } from 'vitest';
import { fillSeries } from './fill-series.ts';

describe('fillSeries', () => {
  it('continues numbers by the step of the seed, below and above it', () => {
    expect(fillSeries(['1', '2'], 3, 'after')).toEqual(['3', '4', '5']);
    expect(fillSeries(['10', '20'], 2, 'before')).toEqual(['-10', '0']);
    expect(fillSeries(['1.5', '2.0'], 2, 'after')).toEqual(['2.5', '3.0']);
  });

  it('copies a single number, as spreadsheets do', () => {
    expect(fillSeries(['7'], 3, 'after')).toEqual(['7', '7', '7']);
  });

  it('continues dates by day, or by the step of two dates', () => {
    expect(fillSeries(['2026-02-27'], 3, 'after')).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(fillSeries(['2026-01-01', '2026-01-08'], 2, 'after')).toEqual(['2026-01-15', '2026-01-22']);
  });

  it('repeats text in the order of the seed', () => {
    expect(fillSeries(['a', 'b'], 3, 'after')).toEqual(['a', 'b', 'a']);
    expect(fillSeries(['a', 'b'], 3, 'before')).toEqual(['b', 'a', 'b']);
  });
});
