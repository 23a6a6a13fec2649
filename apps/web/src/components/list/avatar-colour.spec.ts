import { describe, expect, it } from '@jest/globals';
import { actionOf } from './action.js';
import { avatarColour, avatarHue, initials } from './avatar-colour.js';

describe('avatars', () => {
  it('should give a person the same colour everywhere, and different people spread hues', () => {
    expect(avatarColour('user:42')).toBe(avatarColour('user:42'));
    const hues = new Set(Array.from({ length: 50 }, (_, i) => Math.floor(avatarHue(`user:${i}`) / 30)));
    expect(hues.size).toBeGreaterThan(8);
  });

  it('should take up to two initials', () => {
    expect(initials('Pia Ramos')).toBe('PR');
    expect(initials('pia.ramos')).toBe('PR');
    expect(initials('max')).toBe('M');
    expect(initials('  ')).toBe('?');
  });
});

describe(actionOf.name, () => {
  const alice = { id: 'u-a', name: 'Alice', guest: false };
  it('should read "* name action" by its own author as an action, nothing else', () => {
    expect(actionOf({ text: '* Alice waves', user: alice })).toBe('waves');
    expect(actionOf({ text: '* Bob waves', user: alice })).toBeNull();
    expect(actionOf({ text: '* Alice waves', user: alice, deleted: true })).toBeNull();
    expect(actionOf({ text: '* Alice ', user: alice })).toBeNull();
  });
});
