// How the model server reads bodies and reports failures: JSON only, parsed with a depth limit and kept as text for
// shadow copies; Fastify's own errors mapped to the catalog's codes.

import type { FastifyInstance } from 'fastify';
import { BodyError, MAX_DEPTH, parseJsonBody } from './body.ts';
import { ServeErrors } from './errors.ts';
import { sendError } from './reply.ts';

export interface BodyText {
  keelBodyText: string;
}

export function acceptJsonBodies(app: FastifyInstance, log?: (line: string) => void): void {
  app.removeAllContentTypeParsers();
  // the text is kept on the request (a declared field, so requests keep one shape) for shadow copies
  app.decorateRequest('keelBodyText', '');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    try {
      (req as unknown as BodyText).keelBodyText = body as string;
      done(null, parseJsonBody(body as string, MAX_DEPTH));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (err instanceof BodyError) return sendError(reply, err.code, err.message);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendError(reply, ServeErrors.TOO_LARGE, 'request body is too large');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return sendError(reply, ServeErrors.UNSUPPORTED_MEDIA, 'send Content-Type: application/json');
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err.statusCode && err.statusCode < 500))
      return sendError(reply, ServeErrors.BAD_REQUEST, err.message);
    log?.(`internal error: ${err.message}`);
    return sendError(reply, ServeErrors.INTERNAL, 'internal error');
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, ServeErrors.MODEL_NOT_FOUND, `no route ${req.method} ${req.url}`),
  );
}
