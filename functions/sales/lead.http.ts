import * as z from '#domain/shared/zod.ts';
import { LeadCaptureInput, type Lead, PATCHABLE_STATUSES } from '#domain/sales/lead.schema.ts';
import { LeadNotFoundError } from '#domain/sales/lead.ts';
import type { ApiResult, HttpRequest } from '../shared/http-app.ts';
import { HttpError } from '../shared/http-error.ts';
import { Cursor, Limit, PathId } from '../shared/query.ts';
import { etag, formFields, idempotencyClaim, json, jsonBody } from '../shared/request.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { UserId } from '#domain/sales/ids.schema.ts';

// Query strings, path ids, bodies and responses of the lead routes.

export const LeadListQuery = z.onFirstUse(() => z.strictObject({
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
  status: z.optional(z.enum([...PATCHABLE_STATUSES, 'converted'])),
  owner: z.optional(UserId),
  /** A partner account's leads (a partner user's listing is always its own). */
  partner: z.optional(PathId),
}));

export const READ_ONLY = ['id', 'status', 'customerId', 'convertedAt', 'conversion', 'captures', 'createdAt', 'updatedAt', 'version'];

export function leadIdParam(request: HttpRequest): string {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw new LeadNotFoundError(id);
  return id;
}

export function contextOf(request: HttpRequest, path?: string) {
  const idempotency = path ? idempotencyClaim(request, path) : undefined;
  return { correlationId: request.correlationId, ...(idempotency ? { idempotency } : {}) };
}

export function leadResponse(status: 200 | 201, lead: Lead): ApiResult {
  return json(status, lead, { etag: etag(lead.version), ...(status === 201 ? { location: `/leads/${encodeURIComponent(lead.id)}` } : {}) });
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * The capture body: JSON, or the fields of a plain HTML form (`consents` repeated once per ticked
 * box; a field left empty counts as absent, as a browser sends every text input).
 */
export function captureBody(request: HttpRequest): LeadCaptureInput {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== FORM) return jsonBody(request, LeadCaptureInput);
  const fields = formFields(request);
  if ([...fields.keys()].length === 0) throw new HttpError(400, 'The form is empty.');
  const value: Record<string, unknown> = {};
  for (const [name, raw] of fields) {
    if (name === 'consents' || name === 'consents[]') {
      value.consents = [...((value.consents as string[] | undefined) ?? []), raw];
    } else if (raw.trim() !== '') {
      value[name] = raw;
    }
  }
  return parseOrThrow(LeadCaptureInput, value, 'body');
}
