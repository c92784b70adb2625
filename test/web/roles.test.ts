import { expect, it } from 'vitest';
import { ROLES as API_ROLES } from '../../infra/routes.ts';
import { ROLES, ROLE_LABELS } from '../../web/src/auth/roles.ts';

// The console keeps its own copy of the roles (it never imports server code): the same list.
it('the console knows exactly the API\'s roles, each with a label', () => {
  expect([...ROLES]).toEqual([...API_ROLES]);
  expect(Object.keys(ROLE_LABELS).sort()).toEqual([...API_ROLES].sort());
});
