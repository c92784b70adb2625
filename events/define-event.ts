import * as z from '#domain/shared/zod.ts';

// One event module = one EventDefinition. Producers build entries with it, consumers parse with
// it, CDK rules and the local bus take their patterns from it.

export const EVENT_BUS_NAME = 'crm';

export const EventMetadata = z.onFirstUse(() => z.strictObject({
  eventId: z.string().check(z.minLength(1)),
  version: z.int().check(z.positive()),
  occurredAt: z.iso.datetime(),
  correlationId: z.string().check(z.minLength(1)),
  causationId: z.nullable(z.string().check(z.minLength(1))),
  idempotencyKey: z.string().check(z.minLength(1)),
}));
export type EventMetadata = z.infer<typeof EventMetadata>;

export interface EventDefinition<S extends z.ZodMiniType = z.ZodMiniType> {
  readonly source: string;
  readonly detailType: string;
  readonly version: number;
  readonly data: S;
  /** The envelope carried as EventBridge `detail`. */
  readonly detail: z.ZodMiniType<{ metadata: EventMetadata; data: z.infer<S> }>;
  /** EventBridge pattern that matches exactly this event. */
  readonly pattern: { source: string[]; 'detail-type': string[] };
  /** Names a domain fact; the outbox adds metadata when it is persisted. */
  readonly of: (data: z.infer<S>) => DomainEvent;
}

export interface DomainEvent {
  readonly definition: EventDefinition;
  readonly data: unknown;
}

export interface EventEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
  readonly Time: Date;
}

export function defineEvent<S extends z.ZodMiniType>(spec: {
  source: string;
  detailType: string;
  version: number;
  data: S;
}): EventDefinition<S> {
  // Built on first use like every module-level schema (domain/shared/zod.ts): events are defined at import.
  const detail = z.onFirstUse(() => z.strictObject({ metadata: EventMetadata, data: spec.data })) as unknown as z.ZodMiniType<{
    metadata: EventMetadata;
    data: z.infer<S>;
  }>;
  const definition: EventDefinition<S> = {
    ...spec,
    detail,
    pattern: { source: [spec.source], 'detail-type': [spec.detailType] },
    of: (data) => ({ definition, data: spec.data.parse(data) }),
  };
  return definition;
}

/** Validated envelope for a domain event; throws if the data does not fit its schema. */
export function envelope(event: DomainEvent, metadata: Omit<EventMetadata, 'version'>) {
  return event.definition.detail.parse({
    metadata: { ...metadata, version: event.definition.version },
    data: event.data,
  });
}

export function toEntry(definition: EventDefinition, detail: unknown, time: Date): EventEntry {
  return {
    Source: definition.source,
    DetailType: definition.detailType,
    Detail: JSON.stringify(definition.detail.parse(detail)),
    EventBusName: EVENT_BUS_NAME,
    Time: time,
  };
}
