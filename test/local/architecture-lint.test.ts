import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkArchitecture } from '../../scripts/lint-architecture.ts';

const REPO = resolve(import.meta.dirname, '../..');

let fixture: string | undefined;
afterEach(() => {
  if (fixture) rmSync(fixture, { recursive: true, force: true });
  fixture = undefined;
});

/** Writes the files into a fresh temp directory laid out like the repo and returns its path. */
function repoWith(files: Record<string, string>): string {
  fixture = mkdtempSync(join(tmpdir(), 'arch-lint-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  }
  return fixture;
}

describe('architecture lint (docs/STYLE.md rule 2)', () => {
  it('finds no violation in this repository', () => {
    expect(checkArchitecture(REPO)).toEqual([]);
  });

  it('reports a domain file that imports the AWS SDK and reads Date.now(), with file and line', () => {
    const root = repoWith({
      'domain/orders/order.ts': [
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "import * as z from '#domain/shared/zod.ts';",
        '',
        'export const stamp = () => Date.now();',
        '',
      ].join('\n'),
    });
    expect(checkArchitecture(root)).toEqual([
      { file: 'domain/orders/order.ts', line: 1, message: expect.stringContaining('AWS SDK') },
      { file: 'domain/orders/order.ts', line: 4, message: expect.stringContaining('Date.now()') },
    ]);
  });

  it('reports every kind of forbidden import and global in domain/ and events/', () => {
    const root = repoWith({
      'events/bad.event.ts': [
        "import type { Handler } from 'aws-lambda';", // 1
        "import middy from '@middy/core';", // 2
        "import { randomUUID } from 'node:crypto';", // 3
        "import { readFileSync } from 'fs';", // 4
        "import { json } from '#functions/shared/request.ts';", // 5
        "import { ROUTES } from '#infra/topology.ts';", // 6
        "import { helper } from '../functions/shared/helper.ts';", // 7
        "import lodash from 'lodash';", // 8
        'export const env = process.env.STAGE;', // 9
        'export const id = Math.random();', // 10
        'export const now = new Date();', // 11
        'export const later = () => import("node:os");', // 12
      ].join('\n'),
    });
    expect(checkArchitecture(root).map((v) => v.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('allows zod, #domain/, #events/ and relative imports within domain/ and events/, and dated constructors', () => {
    const root = repoWith({
      'domain/a/a.ts': [
        "import * as z from '#domain/shared/zod.ts';",
        "import type { B } from '#domain/b/b.ts';",
        "import { E } from '#events/e.event.ts';",
        "import { c } from '../c/c.ts';",
        "import { e } from '../../events/e.event.ts';",
        "export { optional } from '../shared/zod.ts';",
        'export const at = (now: Date) => new Date(now.getTime() + 1000);',
        "export const parsed = new Date('2025-01-01T00:00:00Z');",
      ].join('\n'),
    });
    expect(checkArchitecture(root)).toEqual([]);
  });

  it("allows stdlib's special functions and ml-kmeans in domain/ (pure computation), but no other stdlib or ml package", () => {
    const root = repoWith({
      'domain/a/math.ts': [
        "import gammaln from '@stdlib/math-base-special-gammaln';", // allowed
        "import hyp2f1 from '@stdlib/math-base-special-hyp2f1';", // allowed
        "import readFile from '@stdlib/fs-read-file';", // 3: I/O
        "import randu from '@stdlib/random-base-randu';", // 4: randomness
        "import { kmeans } from 'ml-kmeans';", // allowed
        "import Random from 'ml-random';", // 6: randomness
      ].join('\n'),
    });
    expect(checkArchitecture(root).map((v) => v.line)).toEqual([3, 4, 6]);
  });

  it('ignores forbidden words in comments and string literals but not in template expressions', () => {
    const root = repoWith({
      'domain/prose.ts': [
        '// the domain never calls Date.now() or reads process.env',
        '/* Math.random() would break replay',
        "   import x from '@aws-sdk/client-s3' */",
        "export const hint = 'use the Clock port, not Date.now() or new Date()';",
        'export const label = `process.env is ${Date.now()} off limits`;',
      ].join('\n'),
    });
    expect(checkArchitecture(root)).toEqual([{ file: 'domain/prose.ts', line: 5, message: expect.stringContaining('Date.now()') }]);
  });

  it('does not take the word import inside a string list for an import statement', () => {
    const root = repoWith({ 'domain/sources.ts': "export const SOURCES = ['api', 'import', 'form'] as const;\nexport const B = ['export', 'x'];" });
    expect(checkArchitecture(root)).toEqual([]);
  });

  it('reports multi-line imports at the line the statement starts', () => {
    const root = repoWith({
      'domain/multi.ts': ["import * as z from '#domain/shared/zod.ts';", 'import {', '  DynamoDBClient,', "} from '@aws-sdk/client-dynamodb';"].join('\n'),
    });
    expect(checkArchitecture(root).map((v) => v.line)).toEqual([2]);
  });

  it('reports functions/ importing the local runtime, but allows other infra and SDK imports there', () => {
    const root = repoWith({
      'functions/orders/orders.app.ts': [
        "import { ROUTES } from '#infra/topology.ts';",
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "import { VirtualClock } from '#infra/local/scheduler.ts';",
        "import { startLocalBus } from '../../infra/local/local-bus.ts';",
        'export const stage = process.env.STAGE;',
      ].join('\n'),
    });
    expect(checkArchitecture(root)).toEqual([
      { file: 'functions/orders/orders.app.ts', line: 3, message: expect.stringContaining('infra/local') },
      { file: 'functions/orders/orders.app.ts', line: 4, message: expect.stringContaining('infra/local') },
    ]);
  });

  it('reports zod imported anywhere in production code except through domain/shared/zod.ts', () => {
    const root = repoWith({
      'domain/shared/zod.ts': "import { config } from 'zod/mini';\nexport * from 'zod/mini';",
      'domain/orders/order.schema.ts': "import * as z from 'zod';",
      'events/order-placed.event.ts': "import * as z from 'zod/mini';",
      'functions/orders/order.http.ts': "import type { ZodType } from 'zod';",
      'infra/topology.ts': "import * as z from 'zod/v4';",
      'functions/orders/ok.ts': "import * as z from '#domain/shared/zod.ts';",
      'test/orders.test.ts': "import * as z from 'zod';",
    });
    expect(checkArchitecture(root)).toEqual([
      { file: 'domain/orders/order.schema.ts', line: 1, message: expect.stringContaining("use '#domain/shared/zod.ts'") },
      { file: 'events/order-placed.event.ts', line: 1, message: expect.stringContaining("imports zod directly ('zod/mini')") },
      { file: 'functions/orders/order.http.ts', line: 1, message: expect.stringContaining("imports zod directly ('zod')") },
      { file: 'infra/topology.ts', line: 1, message: expect.stringContaining("imports zod directly ('zod/v4')") },
    ]);
  });
});
