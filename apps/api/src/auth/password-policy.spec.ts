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

  it('should not take a password for a variant of a username without letters', () => {
    expect(sut('correct horse battery', '___')).not.toThrow();
  });
});
