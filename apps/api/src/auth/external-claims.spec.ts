import { describe, expect, it } from '@jest/globals';
import { UnauthorizedError } from '../common/errors/chat-errors.js';
import { externalIdentity } from './external-claims.js';

describe(externalIdentity.name, () => {
  it('should map sub, name, roles, flags and iat', () => {
    const sut = externalIdentity({ sub: 'u-1', name: 'Ada', roles: ['staff'], bot: true, iat: 1700000000 });
    expect(sut).toEqual({
      subject: 'u-1',
      name: 'Ada',
      roles: ['staff'],
      guest: false,
      bot: true,
      issuedAt: 1700000000,
    });
  });

  it('should take preferred_username when there is no name, and iat 0 when absent', () => {
    expect(externalIdentity({ sub: 'u-2', preferred_username: 'ada' })).toMatchObject({
      name: 'ada',
      issuedAt: 0,
    });
  });

  it.each([
    [{ name: 'Ada' }, /sub/],
    [{ sub: '', name: 'Ada' }, /sub/],
    [{ sub: 'a\u0000b', name: 'Ada' }, /sub/],
    [{ sub: 'x'.repeat(201), name: 'Ada' }, /sub/],
    [{ sub: 'u', name: '' }, /name/],
    [{ sub: 'u', name: 'x'.repeat(33) }, /name/],
    [{ sub: 'u', name: 'Ada', roles: 'admin' }, /roles/],
    [{ sub: 'u', name: 'Ada', roles: [1] }, /roles/],
    [{ sub: 'u', name: 'Ada', guest: 'yes' }, /guest/],
    [{ sub: 'u', name: 'Ada', guest: true, bot: true }, /guest cannot be a bot/],
  ])('should refuse %j', (claims, why) => {
    expect(() => externalIdentity(claims)).toThrow(UnauthorizedError);
    expect(() => externalIdentity(claims)).toThrow(why);
  });
});
