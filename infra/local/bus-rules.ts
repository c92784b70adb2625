import { existsSync, readFileSync } from 'node:fs';
import type { EventBridgeEvent } from 'aws-lambda';
import { writeFileAtomic } from './atomic-file.ts';
import { type CompiledPattern, compilePattern } from './event-pattern.ts';
import { LOCAL_ACCOUNT } from './local-arns.ts';
import { LOCAL_AWS } from './dynamodb-local.ts';

// Rules created at run time through EventBridge's rule API (PutRule, PutTargets, RemoveTargets,
// DeleteRule, DescribeRule, ListTargetsByRule), as the campaign-trigger adapter calls them. They
// match with the same engine as the topology's rules; their targets are local functions, named by
// ARN, with the InputTransformer subset the adapters use. What is not emulated is refused with
// AWS's error, never silently ignored. With a file, rules survive a restart.

/** An error EventBridge answers with (AWS JSON 1.1: `{"__type", "message"}`, status 400). */
export class BusApiError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

export interface RuleTarget {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string };
  readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number; readonly MaximumEventAgeInSeconds?: number };
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

interface StoredRule {
  readonly Name: string;
  readonly EventPattern: string;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly Description?: string;
  readonly Targets: RuleTarget[];
}

export interface RuleDelivery {
  /** `<rule>/<target id>`: the journal's name for it. */
  readonly name: string;
  readonly arn: string;
  /** What the target gets: the event, the constant Input or the transformed input. */
  readonly payload: unknown;
}

const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const TARGET_KEYS = new Set(['Id', 'Arn', 'Input', 'InputTransformer', 'RetryPolicy', 'DeadLetterConfig']);
const MAX_TARGETS = 5;
const PATH = /^\$(\.[A-Za-z0-9_-]+)*$/;
const PLACEHOLDER = /<([^<>\s]+)>/y;
const RESERVED = new Set(['aws.events.event.json', 'aws.events.rule-name', 'aws.events.rule-arn', 'aws.events.event.ingestion-time']);

export function openRuleStore(options: {
  busName: string;
  /** The topology's rules, which the API may read but not change. */
  staticRules: ReadonlyMap<string, unknown>;
  /** Whether an ARN names a function the runtime can invoke. */
  isTarget: (arn: string) => boolean;
  file?: string;
}) {
  const rules = new Map<string, StoredRule>();
  const compiled = new Map<string, CompiledPattern>();
  const ruleArn = (name: string) => `arn:aws:events:${LOCAL_AWS.region}:${LOCAL_ACCOUNT}:rule/${options.busName}/${name}`;

  if (options.file && existsSync(options.file)) {
    const saved = JSON.parse(readFileSync(options.file, 'utf8')) as { rules?: StoredRule[] };
    for (const rule of saved.rules ?? []) {
      rules.set(rule.Name, rule);
      compiled.set(rule.Name, compilePattern(JSON.parse(rule.EventPattern)));
    }
  }
  const persist = () => {
    if (options.file) writeFileAtomic(options.file, JSON.stringify({ rules: [...rules.values()] }));
  };

  function onBus(body: Record<string, unknown>): void {
    const bus = body.EventBusName;
    if (bus === undefined) throw new BusApiError('ValidationException', `The local bus keeps rules on ${options.busName} only: name it in EventBusName.`);
    if (bus !== options.busName) throw new BusApiError('ResourceNotFoundException', `Event bus ${String(bus)} does not exist.`);
  }
  function existing(name: unknown): StoredRule {
    const rule = typeof name === 'string' ? rules.get(name) : undefined;
    if (!rule) throw new BusApiError('ResourceNotFoundException', `Rule ${String(name)} does not exist on EventBus ${options.busName}.`);
    return rule;
  }
  function changeable(name: unknown): string {
    if (typeof name !== 'string' || !NAME.test(name)) throw new BusApiError('ValidationException', 'Name must be 1-64 characters of [.-_A-Za-z0-9].');
    if (options.staticRules.has(name)) throw new BusApiError('ValidationException', `Rule ${name} is declared in infra/topology.ts; the API cannot change it.`);
    return name;
  }

  const actions: Record<string, (body: Record<string, unknown>) => unknown> = {
    PutRule(body) {
      onBus(body);
      const Name = changeable(body.Name);
      if (body.ScheduleExpression !== undefined) throw new BusApiError('ValidationException', 'ScheduleExpression is not emulated: schedules are in infra/topology.ts or EventBridge Scheduler.');
      if (typeof body.EventPattern !== 'string') throw new BusApiError('ValidationException', 'EventPattern is required.');
      let pattern: CompiledPattern;
      try {
        pattern = compilePattern(JSON.parse(body.EventPattern));
      } catch (error) {
        throw new BusApiError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${(error as Error).message}`);
      }
      const State = body.State ?? 'ENABLED';
      if (State !== 'ENABLED' && State !== 'DISABLED') throw new BusApiError('ValidationException', 'State must be ENABLED or DISABLED.');
      if (body.Description !== undefined && (typeof body.Description !== 'string' || body.Description.length > 512)) {
        throw new BusApiError('ValidationException', 'Description must be a string of at most 512 characters.');
      }
      // Like EventBridge, putting a rule again replaces its pattern and keeps its targets.
      rules.set(Name, { Name, EventPattern: body.EventPattern, State, ...(body.Description ? { Description: body.Description } : {}), Targets: rules.get(Name)?.Targets ?? [] });
      compiled.set(Name, pattern);
      persist();
      return { RuleArn: ruleArn(Name) };
    },

    PutTargets(body) {
      onBus(body);
      const rule = existing(body.Rule);
      const targets = body.Targets;
      if (!Array.isArray(targets) || targets.length < 1 || targets.length > 10) throw new BusApiError('ValidationException', 'Targets must hold 1-10 targets.');
      const failed: { TargetId: string; ErrorCode: string; ErrorMessage: string }[] = [];
      const accepted = targets.map(validTarget).filter((target) => {
        if (options.isTarget(target.Arn)) return true;
        failed.push({ TargetId: target.Id, ErrorCode: 'ValidationException', ErrorMessage: `${target.Arn} is not a local function (arn:aws:lambda:<region>:${LOCAL_ACCOUNT}:function:<name>).` });
        return false;
      });
      const merged = [...rule.Targets.filter((t) => !accepted.some((a) => a.Id === t.Id)), ...accepted];
      if (merged.length > MAX_TARGETS) throw new BusApiError('LimitExceededException', `A rule can have at most ${MAX_TARGETS} targets.`);
      rules.set(rule.Name, { ...rule, Targets: merged });
      persist();
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },

    RemoveTargets(body) {
      onBus(body);
      const rule = existing(body.Rule);
      const ids = Array.isArray(body.Ids) ? (body.Ids as unknown[]) : [];
      if (ids.length === 0) throw new BusApiError('ValidationException', 'Ids must name at least one target.');
      rules.set(rule.Name, { ...rule, Targets: rule.Targets.filter((t) => !ids.includes(t.Id)) });
      persist();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    DeleteRule(body) {
      onBus(body);
      const Name = changeable(body.Name);
      const rule = rules.get(Name);
      if (!rule) return {}; // EventBridge: deleting a rule that is not there succeeds
      if (rule.Targets.length > 0) throw new BusApiError('ValidationException', "Rule can't be deleted since it has targets.");
      rules.delete(Name);
      compiled.delete(Name);
      persist();
      return {};
    },

    DescribeRule(body) {
      onBus(body);
      const fixed = typeof body.Name === 'string' ? options.staticRules.get(body.Name) : undefined;
      if (fixed !== undefined) return { Name: body.Name, Arn: ruleArn(body.Name as string), EventPattern: JSON.stringify(fixed), State: 'ENABLED', EventBusName: options.busName };
      const rule = existing(body.Name);
      const { Targets: _targets, ...described } = rule;
      return { ...described, Arn: ruleArn(rule.Name), EventBusName: options.busName, CreatedBy: LOCAL_ACCOUNT };
    },

    ListTargetsByRule(body) {
      onBus(body);
      return { Targets: existing(body.Rule).Targets };
    },
  };

  return {
    handles: (action: string) => Object.hasOwn(actions, action),
    /** Answers one rule API call; throws BusApiError with AWS's error type. */
    call(action: string, body: Record<string, unknown>): unknown {
      return actions[action]!(body);
    },
    /** Every delivery an event causes on the enabled run-time rules, with its payload. */
    deliveries(event: EventBridgeEvent<string, unknown>): RuleDelivery[] {
      const out: RuleDelivery[] = [];
      for (const rule of rules.values()) {
        if (rule.State !== 'ENABLED' || !compiled.get(rule.Name)!.matches(event)) continue;
        for (const target of rule.Targets) {
          out.push({ name: `${rule.Name}/${target.Id}`, arn: target.Arn, payload: targetInput(target, { name: rule.Name, arn: ruleArn(rule.Name) }, event) });
        }
      }
      return out;
    },
  };
}

export type RuleStore = ReturnType<typeof openRuleStore>;

function validTarget(raw: unknown): RuleTarget {
  if (raw === null || typeof raw !== 'object') throw new BusApiError('ValidationException', 'Each target is an object.');
  const target = raw as Record<string, unknown>;
  const unknown = Object.keys(target).filter((key) => !TARGET_KEYS.has(key));
  if (unknown.length > 0) throw new BusApiError('ValidationException', `Target fields ${unknown.join(', ')} are not emulated (the local bus takes ${[...TARGET_KEYS].join(', ')}).`);
  if (typeof target.Id !== 'string' || !NAME.test(target.Id)) throw new BusApiError('ValidationException', 'Target Id must be 1-64 characters of [.-_A-Za-z0-9].');
  if (typeof target.Arn !== 'string') throw new BusApiError('ValidationException', `Target ${target.Id} needs an Arn.`);
  if (target.Input !== undefined && target.InputTransformer !== undefined) throw new BusApiError('ValidationException', `Target ${target.Id}: Input and InputTransformer are mutually exclusive.`);
  if (target.Input !== undefined) {
    try {
      JSON.parse(String(target.Input));
    } catch {
      throw new BusApiError('ValidationException', `Target ${target.Id}: Input is not valid JSON.`);
    }
  }
  if (target.InputTransformer !== undefined) validTransformer(target.Id, target.InputTransformer);
  return target as unknown as RuleTarget;
}

function validTransformer(id: string, raw: unknown): void {
  const transformer = raw as { InputPathsMap?: unknown; InputTemplate?: unknown };
  if (typeof transformer?.InputTemplate !== 'string' || transformer.InputTemplate.length > 8192) {
    throw new BusApiError('ValidationException', `Target ${id}: InputTemplate must be a string of at most 8192 characters.`);
  }
  const paths = transformer.InputPathsMap ?? {};
  if (typeof paths !== 'object' || paths === null || Array.isArray(paths)) throw new BusApiError('ValidationException', `Target ${id}: InputPathsMap must be an object.`);
  for (const [key, path] of Object.entries(paths)) {
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(key)) throw new BusApiError('ValidationException', `Target ${id}: InputPathsMap key ${key} is not a valid variable name.`);
    if (typeof path !== 'string' || !PATH.test(path)) throw new BusApiError('ValidationException', `Target ${id}: InputPathsMap ${key} = ${String(path)} is not emulated (simple $.a.b paths only).`);
  }
  for (const name of placeholders(transformer.InputTemplate)) {
    if (!RESERVED.has(name) && !Object.hasOwn(paths, name)) {
      throw new BusApiError('ValidationException', `Target ${id}: InputTemplate placeholder <${name}> is neither in InputPathsMap nor one the local bus emulates (${[...RESERVED].join(', ')}).`);
    }
  }
}

function placeholders(template: string): string[] {
  const found: string[] = [];
  for (let i = template.indexOf('<'); i >= 0; i = template.indexOf('<', i + 1)) {
    PLACEHOLDER.lastIndex = i;
    const match = PLACEHOLDER.exec(template);
    if (match) found.push(match[1]!);
  }
  return found;
}

/** What a target is given for an event: the event itself, its constant Input, or the transformed input. */
export function targetInput(target: RuleTarget, rule: { name: string; arn: string }, event: EventBridgeEvent<string, unknown>): unknown {
  if (target.Input !== undefined) return JSON.parse(target.Input);
  if (!target.InputTransformer) return event;
  const paths = target.InputTransformer.InputPathsMap ?? {};
  const value = (name: string): unknown => {
    if (name === 'aws.events.event.json') return event;
    if (name === 'aws.events.rule-name') return rule.name;
    if (name === 'aws.events.rule-arn') return rule.arn;
    if (name === 'aws.events.event.ingestion-time') return event.time;
    return valueAt(event, paths[name]!);
  };
  const template = target.InputTransformer.InputTemplate;
  // Inside a JSON string a value is written as string content; outside, as JSON (null when absent).
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '<') {
      PLACEHOLDER.lastIndex = i;
      const match = PLACEHOLDER.exec(template);
      if (match) {
        const v = value(match[1]!);
        out += inString ? JSON.stringify(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')).slice(1, -1) : (JSON.stringify(v) ?? 'null');
        i += match[0].length - 1;
        continue;
      }
    }
    if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    out += c;
  }
  try {
    return JSON.parse(out);
  } catch {
    return out;
  }
}

function valueAt(event: unknown, path: string): unknown {
  let value: unknown = event;
  for (const key of path.split('.').slice(1)) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}
