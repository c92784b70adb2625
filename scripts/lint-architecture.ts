import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

// docs/STYLE.md rule 2, enforced: domain/ and events/ stay pure (only zod and each other; no AWS SDK,
// Lambda types, middy, Node builtins, process, wall clock or randomness), and functions/ never
// reaches into the local runtime (infra/local). Production code reaches zod only through
// domain/shared/zod.ts (zod/mini with English messages): one classic `import 'zod'` anywhere on
// a Lambda's import graph would put classic zod back into its bundle.

export interface Violation {
  /** Path relative to the checked root, with forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const PURE_DIRS = ['domain', 'events'] as const;
const PRODUCTION_DIRS = ['domain', 'events', 'functions', 'infra'] as const;
const ZOD_ENTRY = 'domain/shared/zod.ts';
/**
 * Pure computation the domain may use besides zod: stdlib's special functions (ln Γ, ₂F₁) for the
 * customer-value models, and ml-kmeans for clusters (always called with a fixed seed, so it is
 * deterministic). Each is a function of its arguments, with no I/O, clock or randomness of its
 * own, so the rule's purpose holds; anything else stays outside domain/.
 */
const PURE_PACKAGES = ['@stdlib/math-base-special-', 'ml-kmeans'];
const SOURCE = /\.(?:[cm]?ts|[cm]?js)$/;
const SKIP_DIRS = new Set(['node_modules', 'cdk.out', 'dist', '.git']);

const FORBIDDEN_CALLS: readonly { pattern: RegExp; message: string }[] = [
  { pattern: /\bprocess\s*\./g, message: 'reads `process` (configuration comes in through ports)' },
  { pattern: /\bDate\s*\.\s*now\b/g, message: 'reads the system clock with Date.now() (use the Clock port)' },
  { pattern: /\bMath\s*\.\s*random\b/g, message: 'uses Math.random() (use the IdGenerator port)' },
  { pattern: /\bnew\s+Date\s*\(\s*\)/g, message: 'reads the system clock with new Date() (use the Clock port)' },
];

const builtins = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]!]));

export function checkArchitecture(rootDir: string): Violation[] {
  const root = resolve(rootDir);
  const violations: Violation[] = [];
  for (const dir of PURE_DIRS) {
    for (const file of sourceFiles(join(root, dir))) violations.push(...checkPureFile(root, file));
  }
  for (const file of sourceFiles(join(root, 'functions'))) violations.push(...checkFunctionsFile(root, file));
  for (const dir of PRODUCTION_DIRS) {
    for (const file of sourceFiles(join(root, dir))) violations.push(...checkZodImports(root, file));
  }
  return violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function checkPureFile(root: string, file: string): Violation[] {
  const { code, bare } = scrub(readFileSync(file, 'utf8'));
  const at = (index: number, message: string): Violation => ({ file: rel(root, file), line: lineOf(code, index), message });
  const found: Violation[] = [];
  for (const { specifier, index } of imports(code)) {
    const problem = pureImportProblem(root, file, specifier);
    if (problem) found.push(at(index, problem));
  }
  for (const { pattern, message } of FORBIDDEN_CALLS) {
    for (const match of bare.matchAll(pattern)) found.push(at(match.index, message));
  }
  return found;
}

function pureImportProblem(root: string, file: string, specifier: string): string | undefined {
  const layer = rel(root, file).split('/')[0];
  const why = (what: string) => `${layer}/ must not import ${what} ('${specifier}')`;
  if (specifier === 'zod' || specifier.startsWith('zod/')) return undefined;
  if (PURE_PACKAGES.some((prefix) => specifier.startsWith(prefix))) return undefined;
  if (specifier.startsWith('#domain/') || specifier.startsWith('#events/')) return undefined;
  if (specifier.startsWith('.')) {
    const target = rel(root, resolve(dirname(file), specifier));
    return PURE_DIRS.some((d) => target.startsWith(`${d}/`)) ? undefined : why(`code outside domain/ and events/`);
  }
  if (specifier.startsWith('@aws-sdk/')) return why('the AWS SDK');
  if (specifier === 'aws-lambda') return why('aws-lambda');
  if (specifier.startsWith('@middy/')) return why('middy');
  if (specifier.startsWith('node:') || builtins.has(specifier)) return why('a Node.js builtin');
  if (specifier.startsWith('#functions/') || specifier.startsWith('#infra/')) return why('adapters or infrastructure');
  return why('a package other than zod');
}

function checkFunctionsFile(root: string, file: string): Violation[] {
  const { code } = scrub(readFileSync(file, 'utf8'));
  const found: Violation[] = [];
  for (const { specifier, index } of imports(code)) {
    const target = specifier.startsWith('.') ? rel(root, resolve(dirname(file), specifier)) : specifier.replace(/^#infra\//, 'infra/');
    if (target === 'infra/local' || target.startsWith('infra/local/')) {
      found.push({ file: rel(root, file), line: lineOf(code, index), message: `functions/ must not import the local runtime ('${specifier}')` });
    }
  }
  return found;
}

function checkZodImports(root: string, file: string): Violation[] {
  if (rel(root, file) === ZOD_ENTRY) return [];
  const { code } = scrub(readFileSync(file, 'utf8'));
  return imports(code)
    .filter(({ specifier }) => specifier === 'zod' || specifier.startsWith('zod/'))
    .map(({ specifier, index }) => ({
      file: rel(root, file),
      line: lineOf(code, index),
      message: `imports zod directly ('${specifier}'); use '#domain/shared/zod.ts' (zod/mini with English messages)`,
    }));
}

/** Static and dynamic import/export-from specifiers with the offset where the statement starts. */
function imports(code: string): { specifier: string; index: number }[] {
  const found: { specifier: string; index: number }[] = [];
  // Statements start a line: the word "import" inside a string (['import', ...]) is not one.
  const statement = /^[ \t]*(?:import|export)\b(?:[^'"`;]*?\bfrom\s*)?\s*(['"])([^'"]+)\1/gm;
  for (const match of code.matchAll(statement)) found.push({ specifier: match[2]!, index: match.index });
  for (const match of code.matchAll(/\b(?:import|require)\s*\(\s*(['"])([^'"]+)\1\s*\)/g)) found.push({ specifier: match[2]!, index: match.index });
  return found;
}

/**
 * Blanks comments (in `code`) and also string contents (in `bare`), keeping every offset and
 * newline, so matches never come from prose and line numbers stay true. Template literal
 * `${...}` expressions stay code. (Regex literals are not recognised; none here need it.)
 */
function scrub(text: string): { code: string; bare: string } {
  const code: string[] = [];
  const bare: string[] = [];
  const keep = (from: number, to: number) => {
    code.push(text.slice(from, to));
    bare.push(text.slice(from, to));
  };
  const blank = (from: number, to: number, inCode: boolean) => {
    const blanked = text.slice(from, to).replace(/[^\n]/g, ' ');
    code.push(inCode ? blanked : text.slice(from, to));
    bare.push(blanked);
  };
  /** Scans code until an unmatched `}` (inside a template expression) or the end. */
  function scanCode(i: number, inTemplate: boolean): number {
    let depth = 0;
    while (i < text.length) {
      const two = text.slice(i, i + 2);
      const ch = text[i]!;
      if (two === '//' || two === '/*') {
        const close = two === '//' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2);
        const end = close === -1 ? text.length : two === '//' ? close : close + 2;
        blank(i, end, true);
        i = end;
      } else if (ch === "'" || ch === '"') {
        let end = i + 1;
        while (end < text.length && text[end] !== ch && text[end] !== '\n') end += text[end] === '\\' ? 2 : 1;
        end = Math.min(end, text.length);
        keep(i, i + 1);
        blank(i + 1, end, false);
        if (end < text.length) keep(end, end + 1);
        i = end + 1;
      } else if (ch === '`') {
        keep(i, i + 1);
        i = scanTemplate(i + 1);
      } else if (inTemplate && ch === '}' && depth === 0) {
        return i;
      } else {
        if (ch === '{') depth++;
        if (ch === '}') depth--;
        keep(i, i + 1);
        i++;
      }
    }
    return i;
  }
  /** Scans template text after the opening backtick; returns the offset after the closing one. */
  function scanTemplate(i: number): number {
    let from = i;
    while (i < text.length) {
      if (text[i] === '\\') {
        i += 2;
      } else if (text[i] === '`') {
        blank(from, i, false);
        keep(i, i + 1);
        return i + 1;
      } else if (text.startsWith('${', i)) {
        blank(from, i, false);
        keep(i, i + 2);
        i = scanCode(i + 2, true);
        if (i < text.length) keep(i, i + 1);
        from = ++i;
      } else {
        i++;
      }
    }
    blank(from, Math.min(i, text.length), false);
    return text.length;
  }
  scanCode(0, false);
  return { code: code.join(''), bare: bare.join('') };
}

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const rel = (root: string, path: string) => relative(root, path).split(sep).join('/');
const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

if (import.meta.main) {
  const root = resolve(import.meta.dirname, '..');
  const violations = checkArchitecture(root);
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
  if (violations.length > 0) {
    console.error(`architecture lint: ${violations.length} violation(s)`);
    process.exit(1);
  }
  const count = PRODUCTION_DIRS.map((d) => sourceFiles(join(root, d)).length).reduce((a, b) => a + b, 0);
  console.log(`architecture lint: OK (${count} files in ${PRODUCTION_DIRS.map((d) => `${d}/`).join(', ')} checked)`);
}
