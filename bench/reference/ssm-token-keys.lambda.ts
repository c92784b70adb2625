import { SSMClient } from '@aws-sdk/client-ssm';
import { boundedClientConfig } from '#functions/shared/bounded-client.ts';
import { SSM_CLIENT_LIMITS, ssmTokenKeys } from '#functions/shared/ssm-token-keys.ts';
import { createTableClient } from '#functions/shared/table-client.ts';

// The document-client yardstick plus what a token function adds at cold start: the SSM client and
// the token-keys adapter, built at module scope. The GetParameter call itself is left out (no AWS
// here): on Lambda it is one more round trip inside the init, ~10-30 ms in-region.
const client = createTableClient();
const keys = ssmTokenKeys('/bench/token-keys', new SSMClient(boundedClientConfig(SSM_CLIENT_LIMITS)));

export const handler = async () => [await client.config.region(), typeof keys.load];
