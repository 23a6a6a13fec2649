import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** Where the document is served: the UI at /api/docs, the JSON at /api/docs-json. */
export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';

/**
 * The configuration the checked-in document is generated with: fixed, not the machine's, so
 * every run writes the same (the routes do not depend on it today; this keeps it so).
 */
export const OPENAPI_ENV = { NODE_ENV: 'test', LOG_LEVEL: 'silent' } as const;

/**
 * The OpenAPI document of the HTTP API, generated from the controllers and their decorators
 * (openapi/service-routes.openapi.ts for the service routes). docs/openapi.json is this,
 * checked in; test/openapi.e2e-spec.ts fails when they differ (`npm run openapi` rewrites it).
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Chat HTTP API')
    .setDescription(
      'Sign in (cookie or Bearer token) or use an API key (Authorization: Bearer chat_sk_...). ' +
        'Routes open to API keys name the scope they need; every error is {code, message}. ' +
        'Real-time messaging is the WebSocket protocol (docs/protocol.md); webhooks are in docs/embedding.md.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'a session token, or an API key chat_sk_...',
    })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the document. Call before `listen`. */
export function serveOpenApi(app: INestApplication): void {
  const document = openApiDocument(app);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Chat HTTP API',
  });
}
