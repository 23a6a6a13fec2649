import { randomUUID } from 'node:crypto';

/** Identifies this server process among the instances that share a bus. */
export const INSTANCE_ID = Symbol('InstanceId');

export function newInstanceId(): string {
  return randomUUID();
}
