import { randomBytes } from 'node:crypto';
import type { AuthResponse } from '@chat/contracts';
import request from 'supertest';

export const TEST_PASSWORD = 'correct horse battery';

/** A unique, valid username. */
export function uniqueUsername(prefix = 'user'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Registers a new account over the real HTTP API. */
export async function register(baseUrl: string, username = uniqueUsername()): Promise<AuthResponse> {
  const response = await request(baseUrl)
    .post('/api/auth/register')
    .send({ username, password: TEST_PASSWORD });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${response.text}`);
  return response.body as AuthResponse;
}

/** A guest session over the real HTTP API. */
export async function guest(baseUrl: string, name: string): Promise<AuthResponse> {
  const response = await request(baseUrl).post('/api/auth/guest').send({ name });
  if (response.status !== 200) throw new Error(`guest failed: ${response.status} ${response.text}`);
  return response.body as AuthResponse;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
