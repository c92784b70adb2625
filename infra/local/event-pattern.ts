import { BlockList, isIP } from 'node:net';

// EventBridge (and Lambda event-filter) pattern matching for the local bus and stream filters,
// following AWS's own matcher (aws/event-ruler, array-consistent JSON matching):
// - a pattern is compiled once, when a rule is declared, and refused there with a message that
//   names the path when EventBridge would refuse it (PutRule's InvalidEventPatternException);
// - an event is seen as leaves (string, number, boolean, null) under paths: arrays at any depth
//   are flattened, objects inside arrays are matched one element at a time (two fields of one
//   pattern object never match in two different elements of the same array);
// - a field exists when it has at least one leaf: an empty array or an object does not.

export type Pattern = { [key: string]: unknown };
type Leaf = string | number | boolean | null;

export class InvalidPatternError extends Error {
  constructor(path: string, reason: string) {
    super(`Invalid event pattern at "${path || '(root)'}": ${reason}`);
    this.name = 'InvalidPatternError';
  }
}

type LeafTest = (leaves: readonly Leaf[]) => boolean;
interface ObjectNode {
  readonly fields: readonly { name: string; leaf?: LeafTest; object?: ObjectNode }[];
  /** Each $or: one of its alternatives must match the same object. */
  readonly ors: readonly (readonly ObjectNode[])[];
}
export interface CompiledPattern {
  matches(event: unknown): boolean;
}

const compiled = new WeakMap<object, CompiledPattern>();

/** Compiles (and so validates) a pattern; throws InvalidPatternError where EventBridge would refuse it. */
export function compilePattern(pattern: unknown): CompiledPattern {
  if (!isObject(pattern)) throw new InvalidPatternError('', 'a pattern is a JSON object');
  const root = compileObject(pattern, '', false);
  return { matches: (event) => isObject(event) && matchObject(root, event) };
}

export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  let found = compiled.get(pattern);
  if (!found) compiled.set(pattern, (found = compilePattern(pattern)));
  return found.matches(event);
}

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr'];

function compileObject(pattern: Record<string, unknown>, path: string, insideOr: boolean): ObjectNode {
  const entries = Object.entries(pattern);
  if (entries.length === 0) throw new InvalidPatternError(path, 'empty objects are not allowed');
  const fields: { name: string; leaf?: LeafTest; object?: ObjectNode }[] = [];
  const ors: ObjectNode[][] = [];
  for (const [name, value] of entries) {
    const at = path ? `${path}.${name}` : name;
    if (name === '$or') {
      if (!Array.isArray(value)) throw new InvalidPatternError(at, '$or must be an array of at least two objects');
      if (value.length < 2) throw new InvalidPatternError(at, '$or needs at least two objects');
      ors.push(
        value.map((alternative, i) => {
          if (!isObject(alternative)) throw new InvalidPatternError(`${at}[${i}]`, 'only objects are allowed in $or');
          return compileObject(alternative, path, true);
        }),
      );
      continue;
    }
    if (insideOr && OPERATORS.includes(name)) throw new InvalidPatternError(at, `"${name}" is a reserved word and cannot be a field name inside $or`);
    if (Array.isArray(value)) fields.push({ name, leaf: compileField(value, at) });
    else if (isObject(value)) fields.push({ name, object: compileObject(value, at, insideOr) });
    else throw new InvalidPatternError(at, 'values must be arrays or objects');
  }
  return { fields, ors };
}

function compileField(matchers: unknown[], path: string): LeafTest {
  if (matchers.length === 0) throw new InvalidPatternError(path, 'empty arrays are not allowed');
  const tests = matchers.map((matcher) => compileMatcher(matcher, path));
  return (leaves) => tests.some((test) => test(leaves));
}

const any = (test: (leaf: Leaf) => boolean): LeafTest => (leaves) => leaves.some(test);

function compileMatcher(matcher: unknown, path: string): LeafTest {
  if (matcher === null || typeof matcher === 'boolean') return any((leaf) => leaf === matcher);
  if (typeof matcher === 'number') return any((leaf) => leaf === matcher);
  if (typeof matcher === 'string') {
    const ip = ipAddress(matcher);
    return any((leaf) => leaf === matcher || (ip !== undefined && typeof leaf === 'string' && sameAddress(ip, leaf)));
  }
  if (!isObject(matcher)) throw new InvalidPatternError(path, 'match values must be strings, numbers, true, false, null or one-key operator objects');
  const keys = Object.keys(matcher);
  if (keys.length !== 1) throw new InvalidPatternError(path, 'only one key allowed in a match expression');
  const operator = keys[0]!;
  const operand = matcher[operator];
  const at = `${path}.${operator}`;
  switch (operator) {
    case 'prefix':
    case 'suffix': {
      const how = operator === 'prefix' ? 'startsWith' : 'endsWith';
      if (isObject(operand)) {
        const text = ignoreCaseOperand(operand, at, operator);
        return any((leaf) => typeof leaf === 'string' && fold(leaf)[how](text));
      }
      if (typeof operand !== 'string') throw new InvalidPatternError(at, `${operator} match pattern must be a string`);
      return any((leaf) => typeof leaf === 'string' && leaf[how](operand));
    }
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') throw new InvalidPatternError(at, 'equals-ignore-case match pattern must be a string');
      const text = fold(operand);
      return any((leaf) => typeof leaf === 'string' && fold(leaf) === text);
    }
    case 'wildcard': {
      if (typeof operand !== 'string') throw new InvalidPatternError(at, 'wildcard match pattern must be a string');
      const regex = wildcard(operand, at);
      return any((leaf) => typeof leaf === 'string' && regex.test(leaf));
    }
    case 'anything-but':
      return anythingBut(operand, at);
    case 'numeric': {
      const within = numericRange(operand, at);
      return any((leaf) => typeof leaf === 'number' && within(leaf));
    }
    case 'exists':
      if (typeof operand !== 'boolean') throw new InvalidPatternError(at, 'exists match pattern must be either true or false');
      return (leaves) => (leaves.length > 0) === operand;
    case 'cidr': {
      const block = cidr(operand, at);
      return any((leaf) => typeof leaf === 'string' && inBlock(block, leaf));
    }
    default:
      throw new InvalidPatternError(at, `Unsupported operator "${operator}" (EventBridge has ${OPERATORS.join(', ')})`);
  }
}

function ignoreCaseOperand(operand: Record<string, unknown>, path: string, operator: string): string {
  const keys = Object.keys(operand);
  if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') throw new InvalidPatternError(path, `unsupported ${operator} pattern: ${keys.join(', ') || '{}'}`);
  if (typeof operand['equals-ignore-case'] !== 'string') throw new InvalidPatternError(path, 'equals-ignore-case match pattern must be a string');
  return fold(operand['equals-ignore-case']);
}

/** The string forms of anything-but: what each one excludes. */
const EXCLUSIONS: Record<string, (texts: string[], path: string) => (leaf: string) => boolean> = {
  prefix: (texts) => (leaf) => texts.some((t) => leaf.startsWith(t)),
  suffix: (texts) => (leaf) => texts.some((t) => leaf.endsWith(t)),
  'equals-ignore-case': (texts) => {
    const folded = new Set(texts.map(fold));
    return (leaf) => folded.has(fold(leaf));
  },
  wildcard: (texts, path) => {
    const regexes = texts.map((t) => wildcard(t, path));
    return (leaf) => regexes.some((r) => r.test(leaf));
  },
};

/**
 * anything-but matches any leaf (of any type) that its exclusion does not hit, so a field that
 * is missing, or holds only excluded values, does not match. Its prefix, suffix,
 * equals-ignore-case and wildcard forms exclude strings only, and take one string or a list.
 */
function anythingBut(operand: unknown, path: string): LeafTest {
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1) throw new InvalidPatternError(path, `anything-but takes one of ${Object.keys(EXCLUSIONS).join(', ')}`);
    const kind = keys[0]!;
    const exclusion = EXCLUSIONS[kind];
    if (!exclusion) throw new InvalidPatternError(path, `unsupported anything-but pattern "${kind}"`);
    const at = `${path}.${kind}`;
    const list = Array.isArray(operand[kind]) ? (operand[kind] as unknown[]) : [operand[kind]];
    if (list.length === 0 || list.some((s) => typeof s !== 'string')) throw new InvalidPatternError(at, `anything-but ${kind} takes a string or a list of strings`);
    if ((kind === 'prefix' || kind === 'suffix') && list.includes('')) throw new InvalidPatternError(at, `an empty ${kind} is not allowed`);
    const hit = exclusion(list as string[], at);
    return any((leaf) => !(typeof leaf === 'string' && hit(leaf)));
  }
  const list = Array.isArray(operand) ? operand : [operand];
  const allStrings = list.length > 0 && list.every((v) => typeof v === 'string');
  const allNumbers = list.length > 0 && list.every((v) => typeof v === 'number');
  if (!allStrings && !allNumbers) throw new InvalidPatternError(path, 'anything-but takes a string, a number, or a non-empty list of only strings or only numbers');
  const excluded = new Set<Leaf>(list as Leaf[]);
  return any((leaf) => !excluded.has(leaf));
}

const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** `["=", n]`, `["<"|"<=", n]`, or `[">"|">=", n]` optionally followed by `"<"|"<=", m` with n < m. */
function numericRange(operand: unknown, path: string): (value: number) => boolean {
  if (!Array.isArray(operand)) throw new InvalidPatternError(path, 'numeric takes an array such as [">", 0, "<=", 5]');
  const [op1, n1, op2, n2, ...rest] = operand as unknown[];
  const isNumber = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
  if (typeof op1 !== 'string' || !(op1 in COMPARISONS)) throw new InvalidPatternError(path, `unrecognized numeric operator ${JSON.stringify(op1)}`);
  if (!isNumber(n1)) throw new InvalidPatternError(path, `value of ${op1} must be a number`);
  const first = (v: number) => COMPARISONS[op1]!(v, n1);
  if (op2 === undefined && operand.length === 2) return first;
  if (op1 !== '>' && op1 !== '>=') throw new InvalidPatternError(path, `too many elements in numeric expression after ${op1}`);
  if (op2 !== '<' && op2 !== '<=') throw new InvalidPatternError(path, `bad numeric range operator ${JSON.stringify(op2)}`);
  if (!isNumber(n2)) throw new InvalidPatternError(path, `value of ${op2} must be a number`);
  if (rest.length > 0) throw new InvalidPatternError(path, 'too many terms in numeric range expression');
  if (!(n1 < n2)) throw new InvalidPatternError(path, 'the bottom of a numeric range must be less than its top');
  return (v) => first(v) && COMPARISONS[op2]!(v, n2);
}

/** `*` matches any run of characters; `\*` and `\\` are a literal star and backslash. */
function wildcard(glob: string, path: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') {
      const next = glob[i + 1];
      if (next !== '*' && next !== '\\') throw new InvalidPatternError(path, 'a backslash may only escape * or \\ in a wildcard');
      source += `\\${next}`;
      i++;
    } else if (c === '*') {
      if (glob[i + 1] === '*') throw new InvalidPatternError(path, 'consecutive wildcard characters are not allowed');
      source += '[\\s\\S]*';
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

type Family = 'ipv4' | 'ipv6';
const familyOf = (text: string): Family | undefined => (isIP(text) === 4 ? 'ipv4' : isIP(text) === 6 ? 'ipv6' : undefined);

function cidr(operand: unknown, path: string): { list: BlockList; family: Family } {
  const match = typeof operand === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(operand) : null;
  const family = match ? familyOf(match[1]!) : undefined;
  const bits = match ? Number(match[2]) : NaN;
  if (!match || !family || bits > (family === 'ipv4' ? 32 : 128)) throw new InvalidPatternError(path, `not a CIDR block: ${JSON.stringify(operand)}`);
  const list = new BlockList();
  list.addSubnet(match[1]!, bits, family);
  return { list, family };
}

const inBlock = (block: { list: BlockList; family: Family }, text: string) => familyOf(text) === block.family && block.list.check(text, block.family);

function ipAddress(text: string): { list: BlockList; family: Family } | undefined {
  const family = familyOf(text);
  if (!family) return undefined;
  const list = new BlockList();
  list.addAddress(text, family);
  return { list, family };
}

const sameAddress = inBlock;

/** Case folding for the ignore-case operators (event-ruler folds both sides the same way). */
const fold = (text: string) => text.toLowerCase();

function matchObject(node: ObjectNode, object: Record<string, unknown> | undefined): boolean {
  for (const field of node.fields) {
    const value = object?.[field.name];
    if (field.leaf) {
      if (!field.leaf(leavesOf(value))) return false;
    } else {
      const objects = objectsOf(value);
      // No object there: the nested pattern sees every field missing (so exists:false matches).
      const ok = objects.length === 0 ? matchObject(field.object!, undefined) : objects.some((o) => matchObject(field.object!, o));
      if (!ok) return false;
    }
  }
  return node.ors.every((alternatives) => alternatives.some((alternative) => matchObject(alternative, object)));
}

function leavesOf(value: unknown, into: Leaf[] = []): Leaf[] {
  if (Array.isArray(value)) for (const element of value) leavesOf(element, into);
  else if (value !== undefined && !isObject(value)) into.push(value as Leaf);
  return into;
}

function objectsOf(value: unknown, into: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const element of value) objectsOf(element, into);
  else if (isObject(value)) into.push(value);
  return into;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
