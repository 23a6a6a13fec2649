import { describe, expect, it } from '@jest/globals';
import { RefusalLog, type RefusalReason } from './refusal-log.js';

describe(RefusalLog.name, () => {
  const setup = () => {
    const lines: string[] = [];
    const counted: RefusalReason[] = [];
    let clock = 0;
    const sut = new RefusalLog(
      (reason) => counted.push(reason),
      (line) => lines.push(line),
      () => clock,
    );
    return { sut, lines, counted, advance: (ms: number) => (clock += ms) };
  };

  it('should log the first refusal at once and count every one', () => {
    const { sut, lines, counted } = setup();
    for (let i = 0; i < 1000; i++) sut.refused('per_ip', '10.0.0.1', 'too many');
    expect(lines).toEqual(['refused a connection from 10.0.0.1: too many']);
    expect(counted).toHaveLength(1000);
  });

  it('should say how many it left out when the next window opens', () => {
    const { sut, lines, advance } = setup();
    sut.refused('per_ip', '10.0.0.1', 'too many');
    for (let i = 0; i < 5; i++) sut.refused('per_ip', '10.0.0.2', 'too many');
    advance(10_000);
    sut.refused('per_ip', '10.0.0.3', 'too many');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      'refused a connection from 10.0.0.3: too many (5 more refused for this reason in the last 10 s)',
    );
  });

  it('should keep one window per reason', () => {
    const { sut, lines } = setup();
    sut.refused('per_ip', '10.0.0.1', 'too many');
    sut.refused('headers_timeout', '10.0.0.1', 'slow');
    expect(lines).toHaveLength(2);
  });
});
