// The API's roles (infra/route-access.ts ROLES; test/web/roles.test.ts keeps the two lists equal). The
// console does not import infra/ so that its type check and bundle stay free of server code.
export const ROLES = ['admin', 'manager', 'agent', 'marketer', 'partner', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  manager: 'Manager',
  agent: 'Agent',
  marketer: 'Marketer',
  partner: 'Partner',
  customer: 'Customer',
};

/** Staff roles (everyone but customers and partners): what the staff screens usually allow. */
export const STAFF: Role[] = ['admin', 'manager', 'agent', 'marketer'];
