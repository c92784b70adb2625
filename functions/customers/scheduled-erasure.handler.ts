import type { ErasureRunUseCases } from '#domain/customers/erasure-request.use-cases.ts';
import * as z from '#domain/shared/zod.ts';
import { CustomerErasureCancelled } from '#events/customer-erasure-cancelled.event.ts';
import { CustomerErasureRequested } from '#events/customer-erasure-requested.event.ts';
import { log } from '../shared/log.ts';

// The scheduledErasure function's two kinds of input: an EventBridge event from the rules
// erasure-requested-schedule and erasure-cancelled-unschedule (an envelope with `detail-type`),
// and the one-off schedule's own input at the end of the grace period (the bare object the
// schedule was created with). A thrown error makes EventBridge (or Scheduler) retry the delivery,
// so a scheduler call that failed is made again and no request is left without its schedule.

const Id = z.onFirstUse(() => z.string().check(z.minLength(1), z.maxLength(128)));
const FromRule = z.onFirstUse(() => z.object({ source: z.string(), 'detail-type': z.string(), detail: z.unknown() }));
const FromSchedule = z.onFirstUse(() => z.strictObject({ customerId: Id, requestedAt: z.iso.datetime(), correlationId: z.optional(z.string().check(z.minLength(1))) }));

export function scheduledErasureHandler(erasure: ErasureRunUseCases) {
  return async (input: unknown) => {
    const rule = FromRule.safeParse(input);
    let customerId: string;
    let outcome: string;
    if (rule.success) {
      const { customerId: id, requestedAt, correlationId } = eventOf(rule.data);
      customerId = id;
      outcome = await erasure.reconcile(customerId, { correlationId }, requestedAt);
    } else {
      const fired = FromSchedule.parse(input);
      customerId = fired.customerId;
      outcome = await erasure.fire(customerId, fired.requestedAt, { correlationId: fired.correlationId ?? `erasure-${customerId}` });
    }
    // Ids and the outcome only: never a record.
    log('info', 'scheduled erasure', { customerId, outcome });
    return { outcome };
  };
}

/** Whose request, and for CustomerErasureRequested which one (its confirmation mail goes out for that request only). */
function eventOf(event: z.infer<typeof FromRule>): { customerId: string; requestedAt?: string; correlationId: string } {
  if (event['detail-type'] === CustomerErasureRequested.detailType) {
    const { data, metadata } = CustomerErasureRequested.detail.parse(event.detail);
    return { customerId: data.customerId, requestedAt: data.requestedAt, correlationId: metadata.correlationId };
  }
  if (event['detail-type'] === CustomerErasureCancelled.detailType) {
    const { data, metadata } = CustomerErasureCancelled.detail.parse(event.detail);
    return { customerId: data.customerId, correlationId: metadata.correlationId };
  }
  throw new Error(`scheduledErasure: unexpected event ${event.source}/${event['detail-type']}`);
}
