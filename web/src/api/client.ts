import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../../../clients/typescript/ecrm-api.ts';
import { config } from '../config.ts';
import { currentSession, signOut } from '../auth/session.ts';
import { problemFromResponse } from './problem.ts';

// The one way screens reach the API: openapi-fetch typed by the client generated from
// /openapi.json (npm run client), so a contract change that breaks a screen fails `tsc -p web`.

export type { paths, components, operations } from '../../../clients/typescript/ecrm-api.ts';

const bearer: Middleware = {
  onRequest({ request }) {
    const session = currentSession();
    if (session) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
  onResponse({ request, response }) {
    // The API refused the token (expired, revoked, another issuer): back to sign-in, saying why.
    if (response.status === 401 && request.headers.has('authorization')) signOut('expired');
    return response;
  },
};

let client: Client<paths> | undefined;

export function api(): Client<paths> {
  if (!client) {
    client = createClient<paths>({ baseUrl: config().apiUrl || window.location.origin });
    client.use(bearer);
  }
  return client;
}

/** The answer's data; any non-2xx answer throws an ApiProblem with the problem's title and detail. */
export async function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): Promise<T> {
  if (!result.response.ok || result.error !== undefined) throw problemFromResponse(result.response.status, result.error);
  return result.data as T;
}
