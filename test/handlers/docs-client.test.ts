import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The TypeScript client in clients/typescript is generated from the document by openapi-typescript
// (`npm run client`) and checked in: it must be current, and compile under strict without
// skipLibCheck (openapi-typescript's own output and openapi-fetch's types included).

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
// The project's Node 24 (npm installs it): it runs .ts files as they are.
const node = `${root}node_modules/.bin/node`;

async function exitOf(command: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: root });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('the generated TypeScript client', () => {
  it('is what openapi-typescript generates from the document today (npm run client)', async () => {
    const { code, output } = await exitOf(node, ['clients/typescript/codegen/generate.ts', '--check']);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('compiles under strict, without skipLibCheck', async () => {
    const { code, output } = await exitOf(node, ['node_modules/typescript/bin/tsc', '-p', 'clients/typescript']);
    expect(output).toBe('');
    expect(code).toBe(0);
  });
});
