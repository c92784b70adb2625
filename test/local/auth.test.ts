import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../functions/shared/auth.ts';

describe('principalFromClaims', () => {
  it('reads the "[admin manager]" form the API Gateway JWT authorizer flattens arrays to', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[admin manager]' })).toEqual({ sub: 'u-1', roles: ['admin', 'manager'] });
  });

  it('reads a single flattened group "[agent]"', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[agent]' })?.roles).toEqual(['agent']);
  });

  it('reads a JSON array string', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '["admin","marketer"]' })?.roles).toEqual(['admin', 'marketer']);
  });

  it('reads a real array', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': ['manager', 'agent'] })?.roles).toEqual(['manager', 'agent']);
  });

  it('reads a bare comma-separated list', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': 'agent, marketer' })?.roles).toEqual(['agent', 'marketer']);
  });

  it('drops groups that are not roles of this system', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[root admin Admins]' })?.roles).toEqual(['admin']);
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '["superuser"]' })?.roles).toEqual([]);
  });

  it('gives a principal without roles when the groups claim is absent or not a string', () => {
    expect(principalFromClaims({ sub: 'u-1' })).toEqual({ sub: 'u-1', roles: [] });
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': 42 })?.roles).toEqual([]);
  });

  it('carries custom:customerId for self-service tokens, and only when non-empty', () => {
    expect(principalFromClaims({ sub: 'u-2', 'cognito:groups': '[customer]', 'custom:customerId': 'c-7' })).toEqual({
      sub: 'u-2',
      roles: ['customer'],
      customerId: 'c-7',
    });
    expect(principalFromClaims({ sub: 'u-2', 'cognito:groups': '[customer]', 'custom:customerId': '' })).not.toHaveProperty('customerId');
  });

  it('is undefined without claims, without sub, or with an empty or non-string sub', () => {
    expect(principalFromClaims(undefined)).toBeUndefined();
    expect(principalFromClaims({ 'cognito:groups': '[admin]' })).toBeUndefined();
    expect(principalFromClaims({ sub: '', 'cognito:groups': '[admin]' })).toBeUndefined();
    expect(principalFromClaims({ sub: 7, 'cognito:groups': '[admin]' })).toBeUndefined();
  });
});
