import { paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { tokenSigner } from '#functions/shared/hmac-tokens.ts';
import { createTableClient } from '#functions/shared/table-client.ts';
import { ssmTokenKeysOnFirstUse } from '#functions/shared/ssm-token-keys-on-first-use.ts';

// The document-client yardstick plus the link-token signer, wired as the token functions' composition
// roots wire it: the SSM client and its adapter are a lazy chunk, the keys are read by the first
// token. The handler signs one token, so its first call pays what a container's first token pays.
const client = createTableClient();
const tokens = tokenSigner(ssmTokenKeysOnFirstUse());
// The yardstick's paginators too (document-client.lambda.ts says why): this is the yardstick plus the signer.
export const paginators = [paginateQuery, paginateScan];

export const handler = async () => [await client.config.region(), await tokens.sign({ purpose: 'unsubscribe', customerId: 'bench', topic: 'bench', id: 'bench' })];
