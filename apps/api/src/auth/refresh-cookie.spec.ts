import { readCookie } from './refresh-cookie';

describe('readCookie', () => {
  it('finds the cookie among others, with or without spaces', () => {
    expect(readCookie('a=1; parley_refresh=tok-en_1; b=2', 'parley_refresh')).toBe('tok-en_1');
    expect(readCookie('parley_refresh=abc;b=2', 'parley_refresh')).toBe('abc');
    expect(readCookie('  parley_refresh = abc ', 'parley_refresh')).toBe('abc');
  });

  it('takes the value up to the end, including = signs, quoted or percent-encoded', () => {
    expect(readCookie('parley_refresh=a=b', 'parley_refresh')).toBe('a=b');
    expect(readCookie('parley_refresh="abc"', 'parley_refresh')).toBe('abc');
    expect(readCookie('parley_refresh=a%2Bb', 'parley_refresh')).toBe('a+b');
  });

  it('answers null for no header, no such cookie, an empty value or a broken encoding', () => {
    expect(readCookie(undefined, 'parley_refresh')).toBeNull();
    expect(readCookie('', 'parley_refresh')).toBeNull();
    expect(readCookie('other=1; xparley_refresh=1; parley_refresh_x=2', 'parley_refresh')).toBeNull();
    expect(readCookie('parley_refresh=', 'parley_refresh')).toBeNull();
    expect(readCookie('parley_refresh=%E0%A4%A', 'parley_refresh')).toBeNull();
    expect(readCookie('garbage; ;;', 'parley_refresh')).toBeNull();
  });
});
