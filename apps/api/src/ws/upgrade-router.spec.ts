import { describe, expect, it, jest } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { upgradeRouter, type RoutedServer } from './upgrade-router.js';

const server = (path: string) =>
  ({ path, handleUpgrade: jest.fn(), emit: jest.fn() }) as unknown as RoutedServer & {
    handleUpgrade: jest.Mock;
  };
const request = (url: string) => ({ url, headers: { host: '127.0.0.1:3000' } }) as IncomingMessage;
const socket = () =>
  ({ destroy: jest.fn(), end: jest.fn() }) as unknown as Duplex & { destroy: jest.Mock; end: jest.Mock };

describe(upgradeRouter.name, () => {
  it('should hand an upgrade to the server of its path, whatever the query', () => {
    const ws = server('/ws');
    const other = server('/other');
    const sut = upgradeRouter(() => [other, ws]);
    sut(request('/ws?name=Sam'), socket(), Buffer.alloc(0));
    expect(ws.handleUpgrade).toHaveBeenCalledTimes(1);
    expect(other.handleUpgrade).not.toHaveBeenCalled();
  });

  it('should route paths that need normalizing as a URL parser would', () => {
    const ws = server('/ws');
    upgradeRouter(() => [ws])(request('/api/../ws'), socket(), Buffer.alloc(0));
    expect(ws.handleUpgrade).toHaveBeenCalledTimes(1);
  });

  it('should drop an upgrade for a path nobody serves', () => {
    const ws = server('/ws');
    const unknown = socket();
    upgradeRouter(() => [ws])(request('/elsewhere'), unknown, Buffer.alloc(0));
    expect(ws.handleUpgrade).not.toHaveBeenCalled();
    expect(unknown.destroy).toHaveBeenCalled();
  });

  it('should answer 400 to an upgrade whose URL cannot be parsed', () => {
    const ws = server('/ws');
    const broken = socket();
    const bad = { url: '/a/../ws', headers: { host: 'not a host' } } as unknown as IncomingMessage;
    upgradeRouter(() => [ws])(bad, broken, Buffer.alloc(0));
    expect(ws.handleUpgrade).not.toHaveBeenCalled();
    expect(broken.end).toHaveBeenCalledWith(expect.stringMatching(/^HTTP\/1\.1 400 Bad Request\r\n/));
  });
});
