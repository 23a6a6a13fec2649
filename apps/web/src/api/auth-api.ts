import { AuthResponseSchema, SessionResponseSchema, type User } from '@chat/contracts';
import { callApi } from './http.js';

/**
 * The signed-in user, or null when the session cookie is missing or no longer valid. Asks
 * /api/session, which answers 200 either way: no red 401 in the console on a first visit.
 */
export async function fetchMe(): Promise<User | null> {
  return (await callApi(SessionResponseSchema, '/api/session')).user;
}

export async function signInAsGuest(name: string): Promise<User> {
  return (await callApi(AuthResponseSchema, '/api/auth/guest', { method: 'POST', body: { name } })).user;
}

export async function logIn(username: string, password: string): Promise<User> {
  return (
    await callApi(AuthResponseSchema, '/api/auth/login', { method: 'POST', body: { username, password } })
  ).user;
}

export async function register(username: string, password: string): Promise<User> {
  return (
    await callApi(AuthResponseSchema, '/api/auth/register', { method: 'POST', body: { username, password } })
  ).user;
}

export async function logOut(): Promise<void> {
  await callApi(null, '/api/auth/logout', { method: 'POST' });
}
