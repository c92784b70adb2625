import { describe, expect, it } from 'vitest';
import { canSee, STAFF_VIEWER, visibleOr } from '#domain/sales/partner-scope.ts';
import { NotFoundError } from '#domain/shared/errors.ts';

describe('partner scope', () => {
  const partner = { kind: 'partner', accountId: 'p-1' } as const;
  const notFound = () => new NotFoundError('No lead with id x.');

  it('staff see every record, assigned or not', () => {
    expect(canSee(STAFF_VIEWER, { partnerAccountId: null })).toBe(true);
    expect(canSee(STAFF_VIEWER, { partnerAccountId: 'p-2' })).toBe(true);
  });

  it("a partner sees only its own account's records, never unassigned or another partner's", () => {
    expect(canSee(partner, { partnerAccountId: 'p-1' })).toBe(true);
    expect(canSee(partner, { partnerAccountId: null })).toBe(false);
    expect(canSee(partner, { partnerAccountId: 'p-2' })).toBe(false);
  });

  it("answers another partner's record exactly as a missing one", () => {
    expect(() => visibleOr(partner, { partnerAccountId: 'p-2' }, notFound)).toThrow(NotFoundError);
    expect(() => visibleOr(partner, undefined, notFound)).toThrow(NotFoundError);
    const own = { id: 'l-1', partnerAccountId: 'p-1' };
    expect(visibleOr(partner, own, notFound)).toBe(own);
  });
});
