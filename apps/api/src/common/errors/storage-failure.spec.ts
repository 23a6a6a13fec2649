import { describe, expect, it } from '@jest/globals';
import {
  asStorageError,
  isSqliteBusy,
  StorageUnavailableError,
  storageFailureReason,
} from './storage-failure.js';

const withCode = (code: string) => Object.assign(new Error('boom'), { code });

describe(storageFailureReason.name, () => {
  it.each([
    'SQLITE_FULL',
    'SQLITE_READONLY',
    'SQLITE_READONLY_DBMOVED',
    'SQLITE_BUSY',
    'SQLITE_IOERR_WRITE',
    'SQLITE_CANTOPEN',
    'ENOSPC',
    'EROFS',
    'ECONNREFUSED',
    '55000',
    '57P01',
    '57P03',
    '55P03',
    '57014',
    '42P01',
    '53100',
  ])('should take %s for storage that cannot serve now', (code) => {
    expect(storageFailureReason(withCode(code))).toBe(code);
  });

  it.each(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', '23505', '42601', undefined])(
    'should leave %s (a wrong statement or a bug) alone',
    (code) => {
      expect(storageFailureReason(code === undefined ? new Error('x') : withCode(code))).toBeNull();
    },
  );

  it('should know node-postgres lost connections by their words', () => {
    expect(storageFailureReason(new Error('Connection terminated unexpectedly'))).toBe('connection lost');
  });
});

describe(asStorageError.name, () => {
  it('should wrap a storage failure with its reason and cause, and pass anything else through', () => {
    const full = withCode('SQLITE_FULL');
    const wrapped = asStorageError(full);
    expect(wrapped).toBeInstanceOf(StorageUnavailableError);
    expect(wrapped).toMatchObject({ code: 'unavailable', reason: 'SQLITE_FULL', cause: full });
    const bug = new TypeError('x');
    expect(asStorageError(bug)).toBe(bug);
  });

  it('should tell a lock from other failures', () => {
    expect(isSqliteBusy(withCode('SQLITE_BUSY_SNAPSHOT'))).toBe(true);
    expect(isSqliteBusy(withCode('SQLITE_FULL'))).toBe(false);
  });
});
