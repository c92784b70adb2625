import { CaseStatusChanged } from '#events/case-status-changed.event.ts';
import { ConsentConfirmed } from '#events/consent-confirmed.event.ts';
import { CustomerCreated } from '#events/customer-created.event.ts';
import type { EventDefinition } from '#events/define-event.ts';
import { InteractionRecorded } from '#events/interaction-recorded.event.ts';
import { CASE_STATUSES } from '../cases/case.schema.ts';
import { CHANNELS } from '../customers/interaction.schema.ts';
import type { FieldIssue } from '../shared/errors.ts';
import type { TriggerEvent, TriggerInput } from './campaign.schema.ts';

// A triggered campaign listens to one domain event through its own EventBridge rule. `where`
// narrows it: keys the event carries become part of the rule's pattern (EventBridge filters, the
// campaign's consumer is not even invoked); `data.<key>` of an interaction is not in the event (ids
// and names only), so the trigger consumer checks it against the stored interaction.

type WhereValue = string | number | boolean;
type Where = Readonly<Record<string, WhereValue | readonly WhereValue[]>>;

interface EventKey {
  /** The values it may take (undefined: any string). */
  readonly values?: readonly string[];
}

interface TriggerSpec {
  readonly definition: EventDefinition;
  /** Keys of the event's `detail.data` a where may name; each must be a string there. */
  readonly keys: Readonly<Record<string, EventKey>>;
  /** `data.<key>`: conditions on the interaction's data, checked by the consumer. */
  readonly dataKeys: boolean;
}

const SPECS: Readonly<Record<TriggerEvent, TriggerSpec>> = {
  CustomerCreated: { definition: CustomerCreated, keys: {}, dataKeys: false },
  InteractionRecorded: { definition: InteractionRecorded, keys: { type: {}, channel: { values: CHANNELS } }, dataKeys: true },
  CaseStatusChanged: { definition: CaseStatusChanged, keys: { to: { values: CASE_STATUSES } }, dataKeys: false },
  ConsentConfirmed: { definition: ConsentConfirmed, keys: { topic: {} }, dataKeys: false },
};

const DATA_KEY = /^data\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const valuesOf = (value: WhereValue | readonly WhereValue[]): readonly WhereValue[] => (Array.isArray(value) ? value : [value as WhereValue]);

/** The problems of a trigger's `where`, each naming its key (`trigger.where.to`). */
export function whereIssues(trigger: TriggerInput, prefix = 'trigger.where'): FieldIssue[] {
  const spec = SPECS[trigger.event];
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(trigger.where ?? {})) {
    const path = `${prefix}.${key}`;
    const known = Object.hasOwn(spec.keys, key) ? spec.keys[key] : undefined;
    if (known) {
      const values = valuesOf(value);
      if (values.some((v) => typeof v !== 'string')) issues.push({ path, message: `is a string in ${trigger.event}` });
      else if (known.values) {
        const wrong = values.filter((v) => !known.values!.includes(v as string));
        if (wrong.length) issues.push({ path, message: `must be one of ${known.values.join(', ')} (not ${wrong.join(', ')})` });
      }
      continue;
    }
    if (spec.dataKeys && DATA_KEY.test(key)) continue;
    const allowed = [...Object.keys(spec.keys), ...(spec.dataKeys ? ['data.<key>'] : [])];
    issues.push({ path, message: allowed.length ? `${trigger.event} can be narrowed by ${allowed.join(', ')}` : `${trigger.event} takes no where` });
  }
  return issues;
}

/** The where keys the trigger consumer checks itself (they are not in the event). */
export function consumerWhere(trigger: { event: TriggerEvent; where?: Where | undefined }): Where {
  const spec = SPECS[trigger.event];
  return Object.fromEntries(Object.entries(trigger.where ?? {}).filter(([key]) => !Object.hasOwn(spec.keys, key)));
}

/**
 * The EventBridge pattern of a triggered campaign's rule: the event's source and detail-type, and
 * `detail.data.<key>` for every where key the event carries (an array: any of its values).
 */
export function triggerPattern(trigger: { event: TriggerEvent; where?: Where | undefined }): Record<string, unknown> {
  const spec = SPECS[trigger.event];
  const data: Record<string, WhereValue[]> = {};
  for (const [key, value] of Object.entries(trigger.where ?? {})) {
    if (Object.hasOwn(spec.keys, key)) data[key] = [...new Set(valuesOf(value))];
  }
  const { source, 'detail-type': detailType } = spec.definition.pattern;
  return { source: [...source], 'detail-type': [...detailType], ...(Object.keys(data).length ? { detail: { data } } : {}) };
}
