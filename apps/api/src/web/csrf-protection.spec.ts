import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { OriginAllowList } from '../common/net/origin-allow-list.js';
import { csrfProtection } from './csrf-protection.js';

/** The allow-list, counting how often it is asked: once per request that is really checked. */
class CountingOrigins extends OriginAllowList {
  asked = 0;
  override allows(origin: string, localPort: number | undefined): boolean {
    this.asked += 1;
    return super.allows(origin, localPort);
  }
}

/** A body-less POST (a sign-out) from `origin`, as Express hands it to a middleware. */
function post(origin: string): Request {
  return {
    method: 'POST',
    path: '/api/auth/logout',
    headers: { origin, cookie: 'chat_token=abc' },
    socket: { localPort: 3000 },
  } as unknown as Request;
}

/** A response that remembers the status a refusal set. */
function response(): Response & { refused?: number } {
  const answer = {
    refused: undefined as number | undefined,
    status(code: number) {
      answer.refused = code;
      return answer;
    },
    json() {
      return answer;
    },
  };
  return answer as unknown as Response & { refused?: number };
}

describe('csrfProtection installed twice (protectChatHttp and ChatModule)', () => {
  it('should check a request once: installed twice, it lets through what it passed already', () => {
    const origins = new CountingOrigins(['https://app.example'], 'https');
    const check = csrfProtection(origins, 'chat_token');
    const request = post('https://app.example');
    let passed = 0;
    check(request, response(), () => {
      passed += 1;
      check(request, response(), () => (passed += 1));
    });
    expect(passed).toBe(2);
    expect(origins.asked).toBe(1);
  });

  it("should not take another instance's pass for its own: a laxer check cannot stand in for it", () => {
    const lax = csrfProtection(new OriginAllowList(['https://evil.example'], 'https'), 'chat_token');
    const strict = csrfProtection(new OriginAllowList(['https://app.example'], 'https'), 'chat_token');
    const forged = post('https://evil.example');
    const answer = response();
    let reached = false;
    lax(forged, response(), () => strict(forged, answer, () => (reached = true)));
    expect(reached).toBe(false);
    expect(answer.refused).toBe(403);
  });

  it('should still check a request the other instance never saw, and refuse a foreign origin', () => {
    const origins = new CountingOrigins(['https://app.example'], 'https');
    const check = csrfProtection(origins, 'chat_token');
    const answer = response();
    const forged = post('https://evil.example');
    let passed = false;
    check(forged, answer, () => (passed = true));
    expect(passed).toBe(false);
    expect(answer.refused).toBe(403);
    // A refused request is not remembered as passed: checked again, refused again.
    const again = response();
    check(forged, again, () => (passed = true));
    expect(passed).toBe(false);
    expect(again.refused).toBe(403);
    expect(origins.asked).toBe(2);
  });
});
