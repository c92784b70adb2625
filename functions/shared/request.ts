import { createHash } from 'node:crypto';
import type * as z from '#domain/shared/zod.ts';
import type { IdempotencyClaim } from '#domain/shared/ports.ts';
import { HttpError } from './http-error.ts';
import type { ApiResult, HttpRequest } from './http-app.ts';
import { parseOrThrow } from './validation.ts';

export const MAX_BODY_BYTES = 256 * 1024;

/** The body as text; beyond MAX_BODY_BYTES a 413, whatever its media type. */
function withinBodyLimit(request: HttpRequest): string {
  const text = request.body ?? '';
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new HttpError(413, `The body may be at most ${MAX_BODY_BYTES} bytes.`);
  return text;
}

/** Parses and validates a JSON body; wrong media type -> 415, malformed -> 400, too big -> 413. */
export function jsonBody<S extends z.ZodMiniType>(
  request: HttpRequest,
  schema: S,
  readOnly: readonly string[] = [],
  options: { array?: boolean } = {},
): z.output<S> {
  const accepted = ['application/json', ...(request.route.bodyTypes ?? [])];
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!accepted.includes(mediaType)) {
    throw new HttpError(415, `Send the body as ${accepted.join(' or ')}.`);
  }
  const text = withinBodyLimit(request);
  if (text.trim() === '') throw new HttpError(400, 'A JSON body is required.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The body is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) !== (options.array ?? false)) {
    throw new HttpError(400, options.array ? 'The body must be a JSON array.' : 'The body must be a JSON object.');
  }
  return parseOrThrow(schema, value, 'body', readOnly);
}

export function queryParams<S extends z.ZodMiniType>(request: HttpRequest, schema: S): z.output<S> {
  return parseOrThrow(schema, { ...request.query }, 'query string');
}

/** The version named by If-Match (`"3"` or `W/"3"`); undefined when absent or `*`. */
export function ifMatchVersion(request: HttpRequest): number | undefined {
  const raw = request.headers['if-match']?.trim();
  if (raw === undefined || raw === '' || raw === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(raw);
  if (!match) {
    throw new HttpError(400, 'If-Match must be one entity tag from an ETag header, such as "3".', [
      { path: 'header.if-match', message: 'must look like "3"' },
    ]);
  }
  return Number(match[1]);
}

/**
 * For irreversible writes: the caller must name the version it read (a missing header or `*` is
 * 428), so nothing is destroyed on the strength of a stale or never-seen view.
 */
export function requiredIfMatchVersion(request: HttpRequest): number {
  const version = ifMatchVersion(request);
  if (version === undefined) {
    throw new HttpError(428, 'Send If-Match with the ETag of the version you read, such as "3".', [
      { path: 'header.if-match', message: 'is required' },
    ]);
  }
  return version;
}

export const etag = (version: number) => `"${version}"`;

/** Idempotency-Key scoped to the caller and the route; the fingerprint covers path and body. */
export function idempotencyClaim(request: HttpRequest, path: string): IdempotencyClaim | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new HttpError(400, 'Idempotency-Key must be 1-255 visible ASCII characters.', [
      { path: 'header.idempotency-key', message: 'must be 1-255 visible ASCII characters' },
    ]);
  }
  const fingerprint = createHash('sha256')
    .update(`${request.route.method} ${path}\n${request.body ?? ''}`)
    .digest('base64url');
  return { scope: `${request.principal?.sub ?? 'public'}|${request.route.method} ${request.route.path}`, key, fingerprint };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function noContent(): ApiResult {
  return { statusCode: 204, headers: {} };
}

/** Form fields of an application/x-www-form-urlencoded body (other media types: none). */
export function formFields(request: HttpRequest): URLSearchParams {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const text = withinBodyLimit(request);
  if (mediaType !== 'application/x-www-form-urlencoded') return new URLSearchParams();
  return new URLSearchParams(text.slice(0, 4096));
}
