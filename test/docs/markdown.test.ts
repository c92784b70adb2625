import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeSpans, commands, fences, isShell, links, shellHazards, words } from '../support/markdown-commands.ts';

// The documentation works from a clone alone: it names nothing outside the repository, every
// link and named file exists, and every command runs as written when pasted into bash or zsh.

const root = resolve(new URL('../..', import.meta.url).pathname);
const SKIP = new Set(['node_modules', '.git', 'cdk.out', 'coverage']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [relative(root, path)] : [];
  });
}

const FILES = markdownFiles(root).sort();
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const inside = (path: string) => path === root || path.startsWith(root + sep);
const shellCommands = (file: string) => fences(read(file)).filter(isShell).flatMap(commands);
/** Names a reader's machine only: home directories, temp and work folders, file URLs. */
const MACHINE_PATH = /(?:^|[\s(`'"])((?:\/(?:work|home|Users|tmp|root|mnt|var)\/|~\/|file:\/\/)[^\s)`'"]*)/g;
const TOP_LEVEL = new Set(readdirSync(root).filter((name) => !SKIP.has(name)));

describe('the Markdown files', () => {
  it('include the README, the architecture and the CDK notes, and the README links the architecture', () => {
    expect(FILES).toEqual(expect.arrayContaining(['README.md', join('docs', 'ARCHITECTURE.md'), join('infra', 'cdk', 'README.md')]));
    expect(links(read('README.md')).map((l) => l.target)).toContain('docs/ARCHITECTURE.md');
  });

  it.each(FILES)('%s names no path outside the repository', (file) => {
    const text = read(file);
    const outside = [...text.matchAll(/(?:\.\.\/)+[^\s)`'"]*/g)].map((m) => m[0]).filter((path) => !inside(resolve(root, dirname(file), path)));
    const machine = [...text.matchAll(MACHINE_PATH)].map((m) => m[1]);
    expect([...outside, ...machine]).toEqual([]);
  });

  it.each(FILES)('%s links only to files that exist', (file) => {
    const broken = links(read(file))
      .filter(({ target }) => !/^[a-z][\w+.-]*:/i.test(target) && !target.startsWith('#'))
      .filter(({ target }) => !existsSync(resolve(root, dirname(file), decodeURIComponent(target.split('#')[0]!))))
      .map(({ target, line }) => `${file}:${line} ${target}`);
    expect(broken).toEqual([]);
  });

  it.each(FILES)('%s names only repository paths that exist', (file) => {
    const missing = codeSpans(read(file))
      .filter(({ code }) => /^\.?[\w-]+(?:\/[\w.-]+)+\/?$/.test(code) && TOP_LEVEL.has(code.split('/')[0]!))
      .filter(({ code }) => !existsSync(join(root, code)))
      .map(({ code, line }) => `${file}:${line} ${code}`);
    expect(missing).toEqual([]);
  });

  it.each(FILES)('%s has shell commands that run as written: quoted URLs, no globs, no bare <placeholders>', (file) => {
    const pasted = [...shellCommands(file), ...codeSpans(read(file)).map((s) => s.code).filter((code) => code.startsWith('curl '))];
    const hazards = pasted.flatMap((command) => shellHazards(command).map((hazard) => `${command}\n    ${hazard}`));
    expect(hazards).toEqual([]);
  });
});

describe('the README commands', () => {
  const readme = shellCommands('README.md');

  it('show curl, npm and the AWS CLI (so the checks below have something to check)', () => {
    for (const tool of ['curl', 'npm', 'aws']) expect(readme.some((c) => words(c).some((w) => w.text === tool))).toBe(true);
  });

  it('capture the token with npm run -s, which keeps npm\'s banner off stdout', () => {
    const captures = readme.flatMap((c) => [...c.matchAll(/\$\((npm run[^)]*)\)/g)].map((m) => m[1]!));
    expect(captures.length).toBeGreaterThan(0);
    expect(captures.filter((c) => !/^npm run (?:-s|--silent)\b/.test(c))).toEqual([]);
  });

  it('give every AWS CLI command against DynamoDB Local the dummy credentials and region it needs', () => {
    const local = readme.filter((c) => words(c).some((w) => w.text === 'aws') && c.includes('--endpoint-url'));
    expect(local.length).toBeGreaterThan(0);
    for (const command of local) {
      for (const setting of ['AWS_ACCESS_KEY_ID=', 'AWS_SECRET_ACCESS_KEY=', 'AWS_REGION=']) expect(command, command).toContain(setting);
    }
  });
});

describe('shellHazards (the checker itself)', () => {
  it.each([
    ['curl -s localhost:3000/_local/events?limit=5', 'glob'],
    ['curl -s http://127.0.0.1:3000/cases?queue=a&status=open', '&'],
    ["curl -s 'localhost:3000/cases'?limit=5", 'glob'],
    ['npm run -s token -- --role customer --customer <customerId>', 'redirection'],
    ['ls test/*.ts', 'glob'],
  ])('flags %s', (command, hazard) => {
    expect(shellHazards(command).join('\n')).toContain(hazard);
  });

  it.each([
    "curl -s 'localhost:3000/_local/events?limit=5'",
    'curl -s "localhost:3000/cases?queue=a&status=open" -H "authorization: Bearer $TOKEN"',
    "npm run -s token -- --role customer --customer '<customerId>'",
    'TOKEN=$(npm run -s token -- --role agent)   # admin | manager',
    'npx cdk deploy --parameters TokenSecret=$(openssl rand -base64 48)',
    'npm install && npm start 2>&1',
    'curl -s localhost:3000/health\\?',
  ])('passes %s', (command) => {
    expect(shellHazards(command)).toEqual([]);
  });
});
