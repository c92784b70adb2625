import { cliArgs } from './cli-args.ts';
import { ROLES, type Role } from '../routes.ts';
import { signDevToken } from './dev-jwt.ts';

// Prints one JWT and nothing else, so that `TOKEN=$(npm run -s token -- --role agent)` captures it.
// Everything meant for a person (usage, mistakes) goes to stderr, except the usage asked for.

const USAGE = `usage: npm run -s token -- --role <role> [--customer <id>] [--account <id>] [--sub <id>] [--ttl <seconds>]

  --role <role>      ${ROLES.join(' | ')}
  --customer <id>    the customer a customer token speaks for (required with --role customer)
  --account <id>     the partner account a partner token works for (required with --role partner)
  --sub <id>         the token's subject (default local-<role>)
  --ttl <seconds>    lifetime (default 43200, 12 hours)
  -h, --help         this text

A dev token signed by the local issuer; only the local runtime (npm start) accepts it.`;

const OPTIONS = {
  role: { type: 'string' },
  customer: { type: 'string' },
  account: { type: 'string' },
  sub: { type: 'string' },
  ttl: { type: 'string' },
} as const;
const cli = cliArgs(USAGE, OPTIONS);
const { values } = cli;
// Annotated, so that TypeScript narrows after a call (it returns never).
const usageError: (message: string) => never = cli.usageError;
const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role)) usageError(role ? `Unknown role '${role}'.` : 'A token needs --role.');
if (role === 'customer' && !values.customer) usageError('A customer token needs --customer <customer id>.');
if (role === 'partner' && !values.account) usageError('A partner token needs --account <partner account id>.');
const ttlSeconds = values.ttl === undefined ? undefined : Number(values.ttl);
if (ttlSeconds !== undefined && !(Number.isInteger(ttlSeconds) && ttlSeconds > 0)) usageError('--ttl takes a whole number of seconds above 0.');

process.stdout.write(
  `${await signDevToken({
    role,
    ...(values.customer ? { customerId: values.customer } : {}),
    ...(values.account ? { accountId: values.account } : {}),
    ...(values.sub ? { sub: values.sub } : {}),
    ...(ttlSeconds ? { ttlSeconds } : {}),
  })}\n`,
);
