import { describe, expect, it } from 'vitest';
import { listed, passwordRules } from './password-rules.ts';

const AWS = { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true };
const LENGTH_ONLY = { minLength: 8, requireLowercase: false, requireUppercase: false, requireDigits: false, requireSymbols: false };
const unmet = (policy: typeof AWS, password: string) => passwordRules(policy).filter((rule) => !rule.met(password)).map((rule) => rule.text);

describe('password rules', () => {
  it('states each rule of the policy, and only those', () => {
    expect(listed(passwordRules(AWS))).toBe('at least 12 characters, a lower-case letter, an upper-case letter, a digit and a symbol such as ! ? # or -');
    expect(listed(passwordRules(LENGTH_ONLY))).toBe('at least 8 characters');
  });

  it('checks a password against them as Cognito counts', () => {
    expect(unmet(AWS, 'short')).toEqual(['at least 12 characters', 'an upper-case letter', 'a digit', 'a symbol such as ! ? # or -']);
    expect(unmet(AWS, 'Long-enough-1')).toEqual([]);
    expect(unmet(AWS, 'Long enough 1')).toEqual([]);
    expect(unmet(LENGTH_ONLY, 'sevench')).toEqual(['at least 8 characters']);
    expect(unmet(LENGTH_ONLY, 'eight ch')).toEqual([]);
  });
});
