import { describe, expect, it } from '@jest/globals';
import { ErrorCodeSchema } from '@chat/contracts';
import { humanError } from './error-text.js';

describe(humanError.name, () => {
  it('should word every error code of a failed request for people, with what to do', () => {
    for (const code of ErrorCodeSchema.options) {
      const human = humanError({ code, event: 'send' });
      expect(human?.title).toMatch(/^[A-Z]/);
      expect(human?.hint).toMatch(/\.$/);
    }
  });

  it('should say more where the request tells more, and leave the client’s own notices alone', () => {
    expect(humanError({ code: 'forbidden', event: 'join' })?.title).toBe('You cannot join that room');
    expect(humanError({ code: 'internal', event: 'history' })?.action).toBe('reload');
    expect(humanError({ code: 'unauthorized', event: 'http' })?.action).toBe('sign-in');
    expect(humanError({ code: 'forbidden' })).toBeNull();
  });
});
