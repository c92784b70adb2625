// EventBridge (and Lambda event-filter) pattern matching, for the local bus and stream filters:
// exact values, prefix, suffix, equals-ignore-case, anything-but, numeric, exists, $or, nested
// objects; a field holding an array matches when any element matches.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Pattern = { [key: string]: unknown };

export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  if (!isObject(event)) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return Array.isArray(expected) && expected.some((p) => matchesPattern(p as Pattern, event));
    const present = Object.hasOwn(event, key) && event[key] !== undefined;
    const value = present ? (event[key] as Json) : undefined;
    if (Array.isArray(expected)) return matchesField(expected, value, present);
    if (isObject(expected)) {
      const candidates = Array.isArray(value) ? value : [value];
      return candidates.some((candidate) => matchesPattern(expected as Pattern, candidate));
    }
    throw new Error(`Invalid pattern at "${key}": values must be arrays or objects`);
  });
}

function matchesField(matchers: unknown[], value: Json | undefined, present: boolean): boolean {
  const values: Json[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) {
      const leaf = present && !isObject(value);
      return matcher.exists === leaf;
    }
    return values.some((v) => matchesOne(matcher, v));
  });
}

function matchesOne(matcher: unknown, value: Json): boolean {
  if (!isObject(matcher)) return matcher === value;
  const [operator, operand] = Object.entries(matcher)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && (isObject(operand) ? ignoreCase(value, operand, 'startsWith') : value.startsWith(String(operand)));
    case 'suffix':
      return typeof value === 'string' && (isObject(operand) ? ignoreCase(value, operand, 'endsWith') : value.endsWith(String(operand)));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(operand).toLowerCase();
    case 'anything-but':
      return anythingBut(operand, value);
    case 'numeric':
      return typeof value === 'number' && numeric(operand as unknown[], value);
    case 'wildcard':
      return typeof value === 'string' && wildcard(String(operand)).test(value);
    default:
      throw new Error(`Unsupported pattern operator ${String(operator)}`);
  }
}

function ignoreCase(value: string, operand: Record<string, unknown>, how: 'startsWith' | 'endsWith'): boolean {
  const text = String(operand['equals-ignore-case']).toLowerCase();
  return value.toLowerCase()[how](text);
}

function anythingBut(operand: unknown, value: Json): boolean {
  if (isObject(operand)) {
    if ('prefix' in operand) return typeof value === 'string' && !value.startsWith(String(operand.prefix));
    if ('suffix' in operand) return typeof value === 'string' && !value.endsWith(String(operand.suffix));
    if ('equals-ignore-case' in operand) {
      const list = ([] as unknown[]).concat(operand['equals-ignore-case']).map((s) => String(s).toLowerCase());
      return typeof value === 'string' && !list.includes(value.toLowerCase());
    }
    throw new Error('Unsupported anything-but operand');
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  return !excluded.includes(value);
}

function numeric(conditions: unknown[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const op = conditions[i];
    const bound = Number(conditions[i + 1]);
    const ok =
      op === '=' ? value === bound : op === '<' ? value < bound : op === '<=' ? value <= bound : op === '>' ? value > bound : op === '>=' ? value >= bound : false;
    if (!ok) return false;
  }
  return true;
}

function wildcard(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
