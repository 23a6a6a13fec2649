import { DisplayNameSchema, PasswordSchema, UsernameSchema } from '@chat/contracts';
import type { z } from 'zod';

export type Field = 'name' | 'username' | 'password';
export type FieldErrors = Partial<Record<Field, string>>;

/** "usernames are 3-32 characters…" -> "Usernames are 3-32 characters…." : a sentence under a field. */
const sentence = (text: string) => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

const firstIssue = (schema: z.ZodType, value: string) => {
  const result = schema.safeParse(value);
  return result.success ? undefined : sentence(result.error.issues[0]?.message ?? 'Check this field');
};

/**
 * What the form can tell before asking the server, with the contracts' own rules (the server
 * checks the same): registering checks the username and password rules, logging in only that
 * both are filled, a guest's name its length.
 */
export function validate(mode: 'guest' | 'login' | 'register', values: Record<Field, string>): FieldErrors {
  if (mode === 'guest') {
    const name = values.name.trim();
    return name === '' ? {} : { name: firstIssue(DisplayNameSchema, name) };
  }
  if (mode === 'login') {
    return {
      username: values.username === '' ? 'Enter your username.' : undefined,
      password: values.password === '' ? 'Enter your password.' : undefined,
    };
  }
  return {
    username: firstIssue(UsernameSchema, values.username),
    password: firstIssue(PasswordSchema, values.password),
  };
}

/**
 * The server's answer, put next to the field it is about: validation errors name their field
 * ("password: …; username: …"), a taken name is the username's, a wrong password both fields'
 * (which one is wrong is not told, on purpose). Anything else is the form's.
 */
export function fromServer(code: string, message: string): { fields: FieldErrors; form?: string } {
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const part of message.split('; ')) {
    const match = /^(name|username|password): (.*)$/s.exec(part);
    if (match) fields[match[1] as Field] = sentence(match[2] ?? '');
    else rest.push(part);
  }
  if (code === 'conflict') return { fields: { username: sentence(message) } };
  if (rest.length === 0) return { fields };
  return { fields, form: sentence(rest.join('; ')) };
}

export const hasErrors = (errors: FieldErrors) => Object.values(errors).some(Boolean);
