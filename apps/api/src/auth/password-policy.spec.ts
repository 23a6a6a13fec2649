import { describe, expect, it } from '@jest/globals';
import { checkNewPassword } from './password-policy.js';

describe(checkNewPassword.name, () => {
  const sut =
    (password: string, username = 'alice_w') =>
    () =>
      checkNewPassword(password, username);

  it.each(['correct horse battery', 'violet staple orbit', 'alice in the garden 7', 'w1ld-Gr4ss-71'])(
    'should accept %s',
    (password) => expect(sut(password)).not.toThrow(),
  );

  it.each(['password', 'PASSWORD', 'password123', 'Password123!', '!!dragon2024', 'qwertyuiop', '11111111'])(
    'should refuse the common %s',
    (password) => expect(sut(password)).toThrow(/most common passwords/),
  );

  it.each(['alice_w', 'ALICE_W', 'w_ecila', 'alicew', 'alice_w2024!', '123alice_w', 'alice_walice_w'])(
    'should refuse %s for the username alice_w',
    (password) => expect(sut(password)).toThrow(/username/),
  );

  it('should refuse a username that ends in digits with more digits after it', () => {
    expect(() => checkNewPassword('alice_3fa2b1c92024!', 'Alice_3fa2b1c9')).toThrow(/username/);
  });

  it.each([
    ['m4ll0ry81', 'mallory81'],
    ['M4LL0RY81!', 'mallory81'],
    ['18yr0ll4m', 'mallory81'],
    ['4l1c3_w', 'alice_w'],
    ['@lice_w2024', 'alice_w'],
  ])('should refuse the leetspeak %s for the username %s', (password, username) => {
    expect(() => checkNewPassword(password, username)).toThrow(/username/);
  });

  it.each([
    'aaaaaaaa',
    'ZZZZZZZZZZ',
    'aaaaaaaa1!',
    'abcdefgh',
    'ABCDEFGHIJ',
    'hgfedcba',
    '23456789',
    'abcdefgh2024',
  ])('should refuse the repeated character or simple sequence %s', (password) =>
    expect(sut(password)).toThrow(/repeated or a simple sequence/),
  );

  it.each(['chatchat', 'CHATCHAT', 'chat2024!', 'ch4tch4t', 'tahctahc', '2024chat'])(
    'should refuse the product name variant %s',
    (password) => expect(sut(password)).toThrow(/product's name/),
  );

  it.each(['chat with friends 9', 'abcdefgh ijk lmno', 'mallory is not m4ll0ry81 here'])(
    'should still accept %s, which only contains such a part',
    (password) => expect(sut(password, 'bob_x')).not.toThrow(),
  );

  it('should not take a password for a variant of a username without letters', () => {
    expect(sut('correct horse battery', '___')).not.toThrow();
  });
});
