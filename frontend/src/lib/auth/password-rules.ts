/**
 * The user pool's password policy (from /config.json) as rules a person reads before choosing a
 * password, each checked as they type. The pool decides; these only say in advance what it asks.
 */
import type { PasswordPolicy } from '$contracts/auth.ts';

export interface PasswordRule {
  /** What the password needs, to follow "Your password needs". */
  text: string;
  met: (password: string) => boolean;
}

// Cognito's symbols: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and a space.
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

export function passwordRules(policy: PasswordPolicy): PasswordRule[] {
  const rules: PasswordRule[] = [{ text: `at least ${policy.minLength} characters`, met: (p) => [...p].length >= policy.minLength }];
  if (policy.requireLowercase) rules.push({ text: 'a lower-case letter', met: (p) => /[a-z]/.test(p) });
  if (policy.requireUppercase) rules.push({ text: 'an upper-case letter', met: (p) => /[A-Z]/.test(p) });
  if (policy.requireDigits) rules.push({ text: 'a digit', met: (p) => /[0-9]/.test(p) });
  if (policy.requireSymbols) rules.push({ text: 'a symbol such as ! ? # or -', met: (p) => SYMBOL.test(p) });
  return rules;
}

/** "at least 12 characters, a lower-case letter and a digit" */
export function listed(rules: PasswordRule[]): string {
  const texts = rules.map((rule) => rule.text);
  return texts.length <= 1 ? (texts[0] ?? '') : `${texts.slice(0, -1).join(', ')} and ${texts.at(-1)}`;
}
