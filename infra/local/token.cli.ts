import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../topology.ts';
import { signDevToken } from './dev-jwt.ts';

// npm run token -- --role agent [--customer <id>] [--sub <id>]   prints one JWT and nothing else.

const { values } = parseArgs({
  options: { role: { type: 'string' }, customer: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' } },
});
const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role)) {
  console.error(`usage: npm run token -- --role <${ROLES.join('|')}> [--customer <id>] [--sub <id>] [--ttl <seconds>]`);
  process.exit(2);
}
if (role === 'customer' && !values.customer) {
  console.error('a customer token needs --customer <customer id>');
  process.exit(2);
}
process.stdout.write(
  `${await signDevToken({
    role,
    ...(values.customer ? { customerId: values.customer } : {}),
    ...(values.sub ? { sub: values.sub } : {}),
    ...(values.ttl ? { ttlSeconds: Number(values.ttl) } : {}),
  })}\n`,
);
