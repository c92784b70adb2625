import { requiredEnv } from './env.ts';

// TABLE_NAME, read by every function's composition root at cold start. Checked by hand (env.ts),
// not with zod: a module the cold path imports must not reach zod at all, since with split bundles
// every zod module any lazily loaded route uses would then be compiled at cold start too (~40 KB).

/** Validated once at cold start; a missing variable fails the init, not a request. */
export function tableConfig(env: NodeJS.ProcessEnv = process.env) {
  return { tableName: requiredEnv(env, 'TABLE_NAME', { expected: 'the name of the table' }) };
}
