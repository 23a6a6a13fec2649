import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * A contract's zod schema as an OpenAPI 3.0 schema object, so the document is generated from
 * the same schemas that validate the requests (no DTO classes to keep in step with them).
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json as SchemaObject;
}
