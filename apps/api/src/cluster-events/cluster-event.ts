import type { z } from 'zod';

/**
 * A typed token for one kind of module event: publishing and subscribing with the same token
 * agree on the payload's type without a cast. `T` only exists for the type checker.
 */
export interface ClusterEvent<T> {
  /** Unique across the deployment: prefix it with your module's name (`word-filter.kicked`). */
  readonly name: string;
  /**
   * Checks what arrives from the other instances (another version of the module may be running
   * there during a rolling deploy): a payload that does not match is dropped with a warning.
   */
  readonly schema?: z.ZodType<T>;
  /** Never set: carries `T`. */
  readonly __payload?: T;
}

const EVENT_NAME = /^[a-z0-9][a-z0-9._:-]{0,99}$/i;

/**
 * Declares a module event, once, next to the module that owns it:
 *
 * ```ts
 * export const UserKicked = defineClusterEvent('word-filter.kicked', z.object({ room: z.string(), userId: z.string() }));
 * ```
 *
 * Without a schema the payload is trusted as `T`, which only holds while every instance runs
 * the same code: give one whenever the payload can change shape between versions.
 */
export function defineClusterEvent<T>(name: string, schema?: z.ZodType<T>): ClusterEvent<T> {
  if (!EVENT_NAME.test(name)) {
    throw new Error(
      `cluster event name "${name}" is not valid: use 1 to 100 letters, digits and . _ : -, such as "my-module.something-happened"`,
    );
  }
  return schema ? { name, schema } : { name };
}
