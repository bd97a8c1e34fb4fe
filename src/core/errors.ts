// KeelError: the one error class every room throws, carrying a stable code from the room's catalog.

export class KeelError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'KeelError';
    this.code = code;
    this.details = details;
  }
}

export function isKeelError(err: unknown, code?: string): err is KeelError {
  return err instanceof KeelError && (code === undefined || err.code === code);
}
