import * as z from '#domain/shared/zod.ts';
import { DEFAULT_PAGE_SIZE, Limit, PathId } from '../shared/query.ts';
import { Email, Tag } from '#domain/customers/customer.schema.ts';
import type { Customer, MergedCustomer } from '#domain/customers/customer.schema.ts';
import type { CustomerUseCases } from '#domain/customers/customer.use-cases.ts';
import type { InteractionUseCases } from '#domain/customers/interaction.use-cases.ts';
import type { MeUseCases } from '#domain/customers/me.use-cases.ts';
import type { ErasureRequestUseCases } from '#domain/customers/erasure-request.use-cases.ts';
import { Channel, TIMELINE_KINDS, type TimelineKind } from '#domain/customers/interaction.schema.ts';
import { TIMELINE_READ_ACCESS } from '#infra/route-access.ts';
import type { Principal } from '../shared/auth.ts';
import { parseIdentityRef } from '#domain/customers/identity.ts';
import { CustomerNotFoundError } from '#domain/shared/errors.ts';
import { etag, json, queryParams } from '../shared/request.ts';
import type { ApiResult, HttpRequest } from '../shared/http-app.ts';

/** What every customers route handler gets: the context's use cases. */
export interface CustomersApp {
  readonly customers: CustomerUseCases;
  readonly interactions: InteractionUseCases;
  /** Self-service: the same use cases bound to the token's customer. */
  readonly me: MeUseCases;
  /** A person's own erasure requests (DELETE /me) and the staff listing of pending ones. */
  readonly erasure: ErasureRequestUseCases;
}

/** `?identity=type:value`, parsed into the identity it names. */
const IdentityRef = z.onFirstUse(() => z.pipe(
  z.string().check(z.maxLength(300)),
  // zod/mini's transform context has no addIssue(); pushing the raw issue is what addIssue did.
  z.transform((ref: string, payload) => {
    const parsed = parseIdentityRef(ref);
    if (!parsed) payload.issues.push({ code: 'custom', message: 'must be type:value with type email, phone, externalId or anonymousId', input: ref });
    return parsed!;
  }),
));

export const CustomerListQuery = z.onFirstUse(() => z
  .strictObject({
    limit: z.optional(Limit),
    cursor: z.optional(z.string().check(z.minLength(1))),
    email: z.optional(Email),
    tag: z.optional(Tag),
    identity: z.optional(IdentityRef),
  })
  .check(
    z.refine((q) => [q.email, q.tag, q.identity].filter((v) => v !== undefined).length <= 1, {
      message: 'use at most one of email, tag, identity',
      path: ['email'],
    }),
    z.refine((q) => (q.email === undefined && q.identity === undefined) || q.cursor === undefined, {
      message: 'email and identity are exact lookups without pages',
      path: ['cursor'],
    }),
  ));

export const TimelineQuery = z.onFirstUse(() => z.strictObject({
  limit: z.optional(Limit),
  cursor: z.optional(z.string().check(z.minLength(1))),
  channel: z.optional(Channel),
  type: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
}));

export { DEFAULT_PAGE_SIZE };

/**
 * A reader sees a timeline entry only if its role may call the route that reads that kind on its
 * own (TIMELINE_READ_ACCESS holds those routes' access: marketers may not read cases, so they see
 * no case and no case comment). Kinds not named there belong to the timeline itself.
 */
export function hiddenTimelineKinds(reader: Principal | undefined): TimelineKind[] {
  const roles = reader?.roles ?? [];
  const readers: Partial<Record<TimelineKind, readonly string[]>> = TIMELINE_READ_ACCESS;
  return TIMELINE_KINDS.filter((kind) => {
    const access = readers[kind];
    return access !== undefined && !roles.some((role) => access.includes(role));
  });
}

/** The API view of a customer: a merged one shows only where it went. */
export function customerView(customer: Customer): Omit<Customer, 'statsRevision'> | MergedCustomer {
  if (customer.mergedInto) {
    const { id, mergedInto, createdAt, updatedAt, version } = customer;
    return { id, mergedInto, createdAt, updatedAt, version };
  }
  const { statsRevision: _internal, ...view } = customer;
  return view;
}

/** A single customer as the API returns it: body plus ETag (and Location when created). */
export function customerResponse(status: 200 | 201, customer: Customer): ApiResult {
  return json(status, customerView(customer), {
    etag: etag(customer.version),
    ...(status === 201 ? { location: `/customers/${encodeURIComponent(customer.id)}` } : {}),
  });
}


export function customerIdParam(request: HttpRequest): string {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw new CustomerNotFoundError(id);
  return id;
}

/** The timeline query of a request as the timeline use case takes it, with the kinds the reader may not see. */
export function timelineQueryOf(request: HttpRequest) {
  const query = queryParams(request, TimelineQuery);
  return {
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    ...(query.channel !== undefined ? { channel: query.channel } : {}),
    ...(query.type !== undefined ? { type: query.type } : {}),
    hiddenKinds: hiddenTimelineKinds(request.principal),
  };
}
