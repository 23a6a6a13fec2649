import { AuthResponseSchema, UserSchema, type User } from '@chat/contracts';
import { ApiError, callApi } from './http.js';

/** The signed-in user, or null when the session cookie is missing or no longer valid. */
export async function fetchMe(): Promise<User | null> {
  try {
    return await callApi(UserSchema, '/api/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
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
