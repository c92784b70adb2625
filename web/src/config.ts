// Where the API is and how people sign in: config.json beside index.html, written by `npm start`
// (local issuer) or by the deploy (Cognito hosted UI). One build serves every environment.

export type AuthConfig =
  | { readonly kind: 'local' }
  | { readonly kind: 'cognito'; readonly domain: string; readonly clientId: string; readonly redirectUri: string };

export interface ConsoleConfig {
  /** The API's base URL; "" when the API is on the same origin (npm start). */
  readonly apiUrl: string;
  readonly auth: AuthConfig;
}

let loaded: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  if (loaded) return loaded;
  const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const raw = (await response.json()) as Partial<ConsoleConfig>;
  if (typeof raw.apiUrl !== 'string' || !raw.auth || (raw.auth.kind !== 'local' && raw.auth.kind !== 'cognito')) {
    throw new Error('config.json must have apiUrl (a string) and auth.kind ("local" or "cognito")');
  }
  loaded = { apiUrl: raw.apiUrl.replace(/\/$/, ''), auth: raw.auth };
  return loaded;
}

/** The configuration loadConfig() read (main.tsx loads it before the first render). */
export function config(): ConsoleConfig {
  if (!loaded) throw new Error('loadConfig() has not finished');
  return loaded;
}
