import { type Role, ROLES } from '#infra/route-access.ts';

export interface Principal {
  readonly sub: string;
  readonly roles: readonly Role[];
  /** Present on customer (self-service) tokens: claim `custom:customerId`. */
  readonly customerId?: string;
  /** Present on partner tokens: claim `custom:accountId`, the partner account the user works for. */
  readonly accountId?: string;
}

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * Reads the claims API Gateway's JWT authorizer put on the event. The authorizer flattens array
 * claims to strings such as "[admin manager]", so every shape is accepted here.
 */
export function principalFromClaims(claims: Claims | undefined): Principal | undefined {
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  const roles = parseGroups(claims['cognito:groups']).filter((g): g is Role => (ROLES as readonly string[]).includes(g));
  const customerId = claims['custom:customerId'];
  const accountId = claims['custom:accountId'];
  return {
    sub: claims.sub,
    roles,
    ...(typeof customerId === 'string' && customerId !== '' ? { customerId } : {}),
    ...(typeof accountId === 'string' && accountId !== '' ? { accountId } : {}),
  };
}

function parseGroups(raw: Claims[string]): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  const text = raw.trim();
  if (text.startsWith('[') && text.includes('"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: fall through to the authorizer's "[a b]" form
    }
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}
