// An error answer in the catalog's shape: {error: {code, message, details?}} with the code's HTTP status.

import type { FastifyReply } from 'fastify';
import { type FieldError, statusOf } from './errors.ts';

export function sendError(
  reply: FastifyReply,
  code: string,
  message: string,
  details?: FieldError[],
): FastifyReply {
  return reply.code(statusOf(code)).send({ error: { code, message, ...(details ? { details } : {}) } });
}
