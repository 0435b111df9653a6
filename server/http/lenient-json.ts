/**
 * A JSON body parser that reads an empty body as "no body". Clients such as Python `requests`
 * send `Content-Type: application/json` with an empty body on DELETE and on a bodiless POST
 * (the seed's rotate example does exactly that); Fastify's own parser refuses those.
 * Register it inside an encapsulated plugin: it replaces the parser for that plugin only.
 */
import type { FastifyInstance } from 'fastify';

export function acceptEmptyJsonBodies(scope: FastifyInstance): void {
  // Same prototype-poisoning protection as the app-wide parser.
  const strict = scope.getDefaultJsonParser('error', 'error');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text === '') {
      done(null, undefined);
      return;
    }
    strict(request, text, done);
  });
}
