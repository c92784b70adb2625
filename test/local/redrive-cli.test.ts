import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FAILURE_QUEUES } from '../../infra/failure-queues.ts';

// The redrive script's arguments on their own (test/e2e/redrive.e2e.test.ts runs it against the runtime).

const root = new URL('../..', import.meta.url).pathname;
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
const cli = (...args: string[]) => spawnSync(process.execPath, ['scripts/redrive.ts', ...args], { cwd: root, encoding: 'utf8', env: cleanEnv() });

describe('redrive script (scripts/redrive.ts)', () => {
  it('prints usage naming every failure queue on stdout for --help, exit 0', () => {
    const run = cli('--help');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('usage: npm run redrive -- --queue <name>');
    for (const q of FAILURE_QUEUES) expect(run.stdout).toContain(q.name);
  });

  it('answers a missing or unknown queue, an unknown flag, --list with --queue and a bad --url with usage on stderr and exit 2', () => {
    for (const args of [
      [],
      ['--queue', 'nope'],
      ['--queues', 'optInMail'],
      ['--list', '--queue', 'optInMail'],
      ['--queue', 'optInMail', '--url', 'ftp://x'],
      ['optInMail'],
      ['--queue', 'optInMail', '--stack', 'Crm', '--url', 'http://127.0.0.1:3000'],
      ['--list', '--stack', 'Crm'],
      ['--queue', 'optInMail', '--region', 'eu-west-1'],
      ['--queue', 'optInMail', '--stack', 'not a stack'],
    ]) {
      const run = cli(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('usage: npm run redrive');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('says so (exit 3) when no runtime answers at --url', () => {
    const run = cli('--queue', 'optInMail', '--url', 'http://127.0.0.1:9');
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('is npm start running?');
  });
});
