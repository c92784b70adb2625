import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { verifyDevToken } from '../../infra/local/dev-jwt.ts';
import { ROLES } from '../../infra/routes.ts';

// The token CLI on its own; test/local/npm-config.test.ts runs it through npm as the README does.

const root = new URL('../..', import.meta.url).pathname;

/** The environment minus what a parent `npm test` passes down (its loglevel, for one). */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['infra/local/token.cli.ts', ...args], { cwd: root, encoding: 'utf8', env: cleanEnv() });

describe('token CLI (infra/local/token.cli.ts)', () => {
  it('prints usage naming every role and --customer on stdout for --help and -h, exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const run = cli(flag);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('usage: npm run -s token -- --role');
      for (const role of ROLES) expect(run.stdout).toContain(role);
      expect(run.stdout).toContain('--customer <id>');
      expect(run.stderr).toBe('');
    }
  });

  it('answers an unknown flag with usage on stderr and exit 2, no stack trace', () => {
    const run = cli('--rol', 'agent');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("Unknown option '--rol'");
    expect(run.stderr).toContain('usage: npm run -s token -- --role');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('answers a stray argument, a missing role and a bad --ttl with usage on stderr and exit 2', () => {
    for (const args of [['agent'], [], ['--role', 'root'], ['--role', 'agent', '--ttl', 'soon'], ['--role', 'customer'], ['--role', 'partner']]) {
      const run = cli(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('usage: npm run -s token -- --role');
    }
  });

  it('prints one verifiable token and nothing else', async () => {
    const run = cli('--role', 'customer', '--customer', 'cust-7');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await verifyDevToken(run.stdout.trim())).toMatchObject({ 'cognito:groups': ['customer'], 'custom:customerId': 'cust-7' });
  });

  it('binds a partner token to its partner account', async () => {
    const run = cli('--role', 'partner', '--account', 'acc-3');
    expect(run.status, run.stderr).toBe(0);
    expect(await verifyDevToken(run.stdout.trim())).toMatchObject({ 'cognito:groups': ['partner'], 'custom:accountId': 'acc-3' });
  });
});
