import { describe, expect, it } from 'vitest';
import { percentFromText, percentText } from './percent.ts';

describe('a percent as text', () => {
  it('reads the number written as the percent, with or without its sign', () => {
    expect(['10%', '10 %', ' 10 ', '10', '+10%'].map(percentFromText)).toEqual([10, 10, 10, 10, 10]);
    expect(['12.5%', '12,5 %', '.5%', '0', '100%', '100.0'].map(percentFromText)).toEqual([12.5, 12.5, 0.5, 0, 100, 100]);
    // A fraction is never guessed: 0.1 is 0.1 %, not 10 %.
    expect(percentFromText('0.1')).toBe(0.1);
  });

  it('reads nothing from text that is no percent from 0 to 100', () => {
    expect(['', '%', 'ten', '10%%', '1,000', '100.5', '101%', '-5%', '10 percent', '1e2', '10%5'].map(percentFromText)).toEqual(new Array(11).fill(undefined));
  });

  it('shows a stored percent with its sign, and reads that back', () => {
    expect([25, 12.5, 0, 100, 33.33333].map(percentText)).toEqual(['25%', '12.5%', '0%', '100%', '33.3333%']);
    expect([null, undefined].map(percentText)).toEqual(['', '']);
    for (const value of [25, 12.5, 0, 100]) expect(percentFromText(percentText(value))).toBe(value);
  });
});
