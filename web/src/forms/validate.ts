import validators, { operations, type ValidationError } from 'virtual:request-validators';

// Forms check what they send with the API's own request schemas (the OpenAPI document's JSON
// bodies, compiled at build time: web/build/request-validators.ts), so a form never accepts what
// the API refuses, nor refuses what it accepts. The API still validates: this is for the person
// typing, who learns about every field at once and before the round trip.

const pointerToField = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');

function messageOf(error: ValidationError): string {
  const p = error.params as Record<string, string | number | undefined>;
  switch (error.keyword) {
    case 'required':
      return 'Required.';
    case 'minLength':
      return p.limit === 1 ? 'Required.' : `At least ${p.limit} characters.`;
    case 'maxLength':
      return `At most ${p.limit} characters.`;
    case 'minimum':
      return `At least ${p.limit}.`;
    case 'maximum':
      return `At most ${p.limit}.`;
    case 'exclusiveMinimum':
      return `More than ${p.limit}.`;
    case 'exclusiveMaximum':
      return `Less than ${p.limit}.`;
    case 'minItems':
      return `Choose at least ${p.limit}.`;
    case 'maxItems':
      return `At most ${p.limit} items.`;
    case 'format':
      return `Not a valid ${String(p.format).replace(/-/g, ' ')}.`;
    case 'pattern':
      return 'Not in the expected format.';
    case 'enum':
      return 'Not one of the allowed values.';
    case 'const':
      return 'Not the allowed value.';
    case 'type':
      return p.type === 'integer' ? 'Must be a whole number.' : p.type === 'number' ? 'Must be a number.' : `Must be a ${String(p.type)}.`;
    case 'additionalProperties':
      return 'Not a field this request accepts.';
    default: {
      const text = error.message ?? 'Not valid.';
      return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
    }
  }
}

const VAGUE = new Set(['pattern', 'anyOf', 'oneOf', 'not', 'if']);

/** The field an error is about: a missing or extra property names itself; "" is the whole body. */
function fieldOf(error: ValidationError): string {
  const base = pointerToField(error.instancePath);
  const child = error.keyword === 'required' ? error.params.missingProperty : error.keyword === 'additionalProperties' ? error.params.additionalProperty : undefined;
  return typeof child === 'string' ? (base ? `${base}.${child}` : child) : base;
}

/**
 * Field -> message for everything wrong with `body` (empty when the API would accept it). The
 * operation is its operationId ("createCustomer") or "<METHOD> <path template>" ("POST /customers").
 */
export function validateRequestBody(operation: string, body: unknown): Record<string, string> {
  const operationId = operations[operation] ?? operation;
  const validate = validators[operationId];
  if (!validate) throw new Error(`No JSON request body schema for "${operation}" in the OpenAPI document`);
  if (validate(body)) return {};
  const found: Record<string, { message: string; rank: number }> = {};
  for (const error of validate.errors ?? []) {
    const field = fieldOf(error);
    // allErrors reports every failed keyword; one per field, the most telling: a format ("not a
    // valid email") says more than the pattern that narrows it.
    const rank = VAGUE.has(error.keyword) ? 1 : 0;
    if (!found[field] || rank < found[field].rank) found[field] = { message: messageOf(error), rank };
  }
  return Object.fromEntries(Object.entries(found).map(([field, { message }]) => [field, message]));
}
