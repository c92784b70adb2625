import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../functions/shared/http-app.ts';
import { HttpError } from '../../functions/shared/http-error.ts';
import { salesViewerOf } from '../../functions/sales/sales-viewer.ts';
import type { Principal } from '../../functions/shared/auth.ts';

const requestOf = (principal: Principal | undefined) => ({ principal }) as unknown as HttpRequest;

describe('salesViewerOf', () => {
  it('any staff role is the staff view, even together with the partner group', () => {
    expect(salesViewerOf(requestOf({ sub: 'a', roles: ['agent'] }))).toEqual({ kind: 'staff' });
    expect(salesViewerOf(requestOf({ sub: 'a', roles: ['partner', 'manager'], accountId: 'p-1' }))).toEqual({ kind: 'staff' });
  });

  it("binds a partner-only user to its token's account", () => {
    expect(salesViewerOf(requestOf({ sub: 'p', roles: ['partner'], accountId: 'p-1' }))).toEqual({ kind: 'partner', accountId: 'p-1' });
  });

  it('a partner token without custom:accountId, a customer or no principal reach nothing (403)', () => {
    for (const principal of [{ sub: 'p', roles: ['partner'] }, { sub: 'c', roles: ['customer'], customerId: 'c-1' }, undefined] as const) {
      const error = (() => {
        try {
          salesViewerOf(requestOf(principal as Principal | undefined));
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(403);
    }
  });
});
