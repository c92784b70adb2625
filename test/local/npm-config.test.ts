import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyDevToken } from '../../infra/local/dev-jwt.ts';

// npm as a person runs it in this repository: its own warnings reach the terminal, and the one
// command whose output is captured (`TOKEN=$(npm run -s token -- ...)`) prints the token alone.

const root = new URL('../..', import.meta.url).pathname;

/** The environment minus what a parent `npm test` passes down (its loglevel, for one). */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: cleanEnv() });

describe('npm configuration (.npmrc)', () => {
  it("shows npm's own warnings during install, such as an engine this Node does not satisfy", () => {
    // A project with this repository's npm settings (a .npmrc, if it has one) whose engines no
    // Node satisfies: whatever this machine's Node version, npm must warn.
    const dir = mkdtempSync(join(tmpdir(), 'crm-npmrc-'));
    try {
      if (existsSync(join(root, '.npmrc'))) copyFileSync(join(root, '.npmrc'), join(dir, '.npmrc'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'engine-probe', version: '1.0.0', private: true, engines: { node: '>=999' } }));
      const run = npm(['install', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toContain('EBADENGINE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`npm run -s token` prints the token alone, so `TOKEN=$(npm run -s token -- ...)` captures it', async () => {
    const run = npm(['run', '-s', 'token', '--', '--role', 'agent'], root);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(await verifyDevToken(run.stdout.trim())).toMatchObject({ 'cognito:groups': ['agent'] });
  });
});
