/**
 * Body parsers of the gateway's pass-through routes, each registered inside its own plugin:
 * - JSON bodies are kept as the raw bytes, so the gateway forwards exactly what the client sent
 *   (it parses a copy only to read max_tokens and estimate the input);
 * - file routes take any content type and leave the request stream unread, so multipart
 *   uploads reach the upstream untouched and unbuffered.
 */
import type { FastifyInstance } from 'fastify';

export function keepRawJson(scope: FastifyInstance, bodyLimit: number): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
    done(null, body);
  });
}

export function keepRawStream(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, payload, done) => {
    done(null, payload);
  });
}
