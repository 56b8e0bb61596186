import { describe, expect, it } from 'vitest';
import { categoryText, figureText } from './figure-text.ts';

// The locale is the runner's; these figures read the same in every English one, and the test
// asks for the parts that do not vary otherwise.
describe('figureText', () => {
  it('says each unit as people read it', () => {
    expect(figureText(1234, 'count')).toMatch(/^1.234$/);
    expect(figureText(0.256, 'ratio')).toMatch(/^25.6\s?%$/);
    expect(figureText(1, 'ratio')).toMatch(/^100\s?%$/);
    expect(figureText(12.345, 'days')).toMatch(/^12.3 d$/);
    expect(figureText(12500, 'money', 'EUR')).toMatch(/12.500/);
    expect(figureText(12500, 'money', 'EUR')).toMatch(/€/);
    expect(figureText(12500.4, 'money', null)).toMatch(/^12.500.4$/);
    expect(figureText('Proposal', 'text')).toBe('Proposal');
  });

  it('shows an empty value as a dash, never as 0', () => {
    expect(figureText(null, 'ratio')).toBe('–');
    expect(figureText(undefined, 'money', 'EUR')).toBe('–');
  });
});

describe('categoryText', () => {
  it('says a month as people do, and leaves other names alone', () => {
    expect(categoryText('2026-03')).toMatch(/^Mar\w* 2026$/);
    expect(figureText('2026-12', 'text')).toMatch(/^Dec\w* 2026$/);
    expect(categoryText('2026-13')).toBe('2026-13');
    expect(categoryText('Proposal')).toBe('Proposal');
  });
});
