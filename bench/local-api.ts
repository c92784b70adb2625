/**
 * A bench's JSON client of the local runtime's API, signed with one token: it throws on any answer
 * of 300 or above (a bench that measures a failing request measures nothing) and returns the body,
 * loosely typed: a bench reads the fields it asked for.
 */
export function localApi(baseUrl: string, token: string) {
  return async (method: string, path: string, body?: unknown): Promise<Record<string, any>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
}
