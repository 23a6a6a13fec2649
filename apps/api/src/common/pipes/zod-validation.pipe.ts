import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { BadRequestError } from '../errors/chat-errors.js';

/** Validates a payload against one of the contracts' schemas and returns the parsed value. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new BadRequestError(describeIssues(result.error.issues));
  }
}

/** "room: room names are ...; text: Invalid input: expected string, received number" */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
