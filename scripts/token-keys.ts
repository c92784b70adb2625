import { parseArgs } from 'node:util';
import { SSMClient } from '@aws-sdk/client-ssm';
import { tokenKeysParameterName } from '../infra/cdk/crm.stack.ts';
import { initTokenKeys, rotateStoredTokenKeys } from '../infra/ops/token-keys-admin.ts';

// npm run token-keys -- init|rotate: the link-token keys of a deployed stack, in SSM Parameter
// Store (README "Security"). Keys go from this process to SSM and are never printed.

const USAGE = `usage: npm run token-keys -- init [--stack Crm] [--region <region>]
       npm run token-keys -- rotate [--retire-after-days 400] [--stack Crm] [--region <region>]

  init    creates /<stack>/token-keys with one fresh key (before the first deploy). With
          TOKEN_SECRET in the environment (the TokenSecret the stack was deployed with before
          key ids), links already sent keep verifying with it.
  rotate  a fresh key signs from the functions' next cold start; older keys verify until
          --retire-after-days (default 400: unsubscribe links never expire; keep it longer than
          the mail they are in may be clicked)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { stack: { type: 'string', default: 'Crm' }, region: { type: 'string' }, 'retire-after-days': { type: 'string', default: '400' }, help: { type: 'boolean', short: 'h' } },
});
const command = positionals[0];
if (values.help || (command !== 'init' && command !== 'rotate')) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
const retireAfterDays = Number(values['retire-after-days']);
if (!Number.isInteger(retireAfterDays) || retireAfterDays < 1) {
  console.error(`--retire-after-days must be a whole number of days\n\n${USAGE}`);
  process.exit(2);
}

const client = new SSMClient(values.region ? { region: values.region } : {});
const name = tokenKeysParameterName(values.stack);
try {
  if (command === 'init') {
    const { kid } = await initTokenKeys(client, name, { now: new Date(), ...(process.env.TOKEN_SECRET ? { legacySecret: process.env.TOKEN_SECRET } : {}) });
    console.log(`${name}: created, signing key ${kid}${process.env.TOKEN_SECRET ? ', TOKEN_SECRET kept for links signed without a key id' : ''}`);
  } else {
    const { kid, retireAt } = await rotateStoredTokenKeys(client, name, { now: new Date(), retireAfterDays });
    console.log(`${name}: signing key ${kid}; older keys verify until ${new Date(retireAt * 1000).toISOString()}`);
  }
} finally {
  client.destroy();
}
