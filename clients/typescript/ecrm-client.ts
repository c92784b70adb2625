import createClient from 'openapi-fetch';
import type { paths } from './ecrm-api.ts';

export type { components, operations, paths } from './ecrm-api.ts';

/** A typed client for the eCRM API: `baseUrl` is where it runs, `token` a bearer token (staff or customer). */
export function createEcrmClient(baseUrl: string, token?: string) {
  return createClient<paths>({ baseUrl, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
}
