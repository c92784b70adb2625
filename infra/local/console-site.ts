import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import * as z from '#domain/shared/zod.ts';
import { ROLES } from '../topology.ts';
import { signDevToken } from './dev-jwt.ts';
import type { LocalEndpoint } from './gateway.ts';

// The console beside the API, as on AWS where CloudFront serves it: the built files of web/dist
// (npm run build) at /, config.json saying "same origin, local issuer", and POST /_local/sign-in,
// the local stand-in for the Cognito hosted UI (a token of the local issuer for the role picked).

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The console's configuration under the local runtime: the API on the same origin, the local issuer. */
export const LOCAL_CONSOLE_CONFIG = { apiUrl: '', auth: { kind: 'local' } } as const;

const TWELVE_HOURS = 12 * 3600;
export const SignInBody = z
  .strictObject({
    role: z.enum(ROLES),
    customerId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    accountId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  })
  .check(
    z.refine((body) => body.role !== 'customer' || body.customerId !== undefined, { message: 'A customer token needs customerId', path: ['customerId'] }),
  );

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** POST /_local/sign-in {role, customerId?, accountId?} -> {token, expiresAt} (dev-only, as the /_local routes are). */
export function signInEndpoint(parse: (body: Buffer) => unknown): LocalEndpoint {
  return {
    method: 'POST',
    path: '/_local/sign-in',
    handle: async (_req, body) => {
      const result = SignInBody.safeParse(parse(body));
      if (!result.success) {
        return {
          status: 400,
          body: { title: 'Invalid request', status: 400, detail: `Send {"role": one of ${ROLES.join(', ')}, "customerId"?: string, "accountId"?: string}; a customer needs customerId.` },
        };
      }
      const { role, customerId, accountId } = result.data;
      const sub = role === 'customer' ? `local-customer-${customerId}` : `local-${role}`;
      const token = await signDevToken({ role, sub, ttlSeconds: TWELVE_HOURS, ...(customerId ? { customerId } : {}), ...(accountId ? { accountId } : {}) });
      const exp = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
      return { status: 200, body: { token, expiresAt: new Date(exp * 1000).toISOString() } };
    },
  };
}

/**
 * The built console's files, read once at start (its names are hashed: a rebuild needs a restart).
 * Nothing when `webDir` has no index.html: GET / then stays the page of local links.
 */
export function consoleEndpoints(webDir: string | undefined): LocalEndpoint[] {
  if (!webDir || !existsSync(join(webDir, 'index.html'))) return [];
  // First, so that a config.json a deploy left in web/public never points the local console at AWS.
  const endpoints: LocalEndpoint[] = [
    { method: 'GET', path: '/config.json', handle: async () => ({ status: 200, body: LOCAL_CONSOLE_CONFIG, headers: { 'cache-control': 'no-cache' } }) },
  ];
  for (const file of filesUnder(webDir)) {
    const path = `/${relative(webDir, file).split('\\').join('/')}`;
    const content = readFileSync(file);
    // Hashed assets never change under their name; index.html and config.json must be fresh.
    const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache, 'x-content-type-options': 'nosniff' };
    endpoints.push({ method: 'GET', path, handle: async () => ({ status: 200, raw: content, headers }) });
    if (path === '/index.html') endpoints.push({ method: 'GET', path: '/', handle: async () => ({ status: 200, raw: content, headers }) });
  }
  return endpoints;
}
