import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { configEntries } from './app-config.schema.js';

const OPERATIONS_DOC = new URL('../../../../docs/operations.md', import.meta.url);

describe('configuration documentation', () => {
  it('should list every environment variable the server reads in docs/operations.md', () => {
    const doc = readFileSync(OPERATIONS_DOC, 'utf8');
    const missing = Object.keys(configEntries).filter((key) => !doc.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});
