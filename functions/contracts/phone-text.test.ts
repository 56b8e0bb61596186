import { describe, expect, it } from 'vitest';
import { Phone } from './values.ts';
import { phoneFromText, phonesFromText, phoneText } from './phone-text.ts';

describe('phone text', () => {
  it("shows a number of the user's country nationally, any other internationally, extensions kept; anything else as it is", () => {
    expect(phoneText('+14155550134', 'US')).toBe('(415) 555-0134');
    expect(phoneText('+14155550134', 'GB')).toBe('+1 415 555 0134');
    expect(phoneText('+442079460958 ext. 12', 'GB')).toBe('020 7946 0958 ext. 12');
    expect(phoneText(['+442079460958', '+4930123456'], 'DE')).toBe('+44 20 7946 0958; 030 123456');
    expect(phoneText('+14155550134', undefined)).toBe('+1 415 555 0134');
    expect(phoneText('not a number', 'US')).toBe('not a number');
    expect(phoneText(null, 'US')).toBe('');
  });

  it('reads what it shows back as stored: national in the country, or international; a list part by part', () => {
    expect(phoneFromText('(415) 555-0134', 'US')).toBe('+14155550134');
    expect(phoneFromText('020 7946 0958 ext. 12', 'GB')).toBe('+442079460958 ext. 12');
    expect(phoneFromText('+1 415 555 0134', 'GB')).toBe('+14155550134');
    expect(phoneFromText('(415) 555-0134', undefined)).toBeUndefined();
    expect(phonesFromText('(415) 555-0134; +44 20 7946 0958; nonsense', 'US')).toBe('+14155550134; +442079460958; nonsense');
    // The contract takes international numbers only: a national one needs the country the reader knows.
    expect(Phone.safeParse('(415) 555-0134').success).toBe(false);
    expect(Phone.parse('+44 20 7946 0958 x12')).toBe('+442079460958 ext. 12');
  });
});
