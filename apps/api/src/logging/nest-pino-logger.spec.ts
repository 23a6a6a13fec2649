import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { NestPinoLogger } from './nest-pino-logger.js';

function capture(level = 'trace') {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
  return { sut: new NestPinoLogger(pino({ level }, stream)), lines };
}

describe(NestPinoLogger.name, () => {
  it('should write a message with its context at the mapped level', () => {
    const { sut, lines } = capture();
    sut.warn('disk almost full', 'Storage');
    sut.verbose('details', 'Chat');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'disk almost full', context: 'Storage' }),
      expect.objectContaining({ level: 10, msg: 'details', context: 'Chat' }),
    ]);
  });

  it('should merge an object message into the line', () => {
    const { sut, lines } = capture();
    sut.log({ msg: 'connection opened', connectionId: 'c1' }, 'ChatGateway');
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'connection opened',
      connectionId: 'c1',
      context: 'ChatGateway',
    });
  });

  it("should keep the stack of Nest's error(message, stack, context)", () => {
    const { sut, lines } = capture();
    sut.error('boom', 'Error: boom\n    at somewhere', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ level: 50, context: 'ExceptionsHandler', err: { message: 'boom' } });
    expect((lines[0]!.err as { stack: string }).stack).toContain('at somewhere');
  });

  it("should log Nest's start-up lines at debug, so the default level hides them", () => {
    const { sut, lines } = capture('info');
    sut.log('AppModule dependencies initialized', 'InstanceLoader');
    sut.log('Chat is running', 'Chat');
    expect(lines).toEqual([expect.objectContaining({ msg: 'Chat is running' })]);
  });
});
