import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The token functions (consent, campaigns, csat) read their link-token keys from SSM Parameter
// Store with the first token they sign or check (one GetParameter). This answers that one call on
// localhost (AWS_ENDPOINT_URL_SSM): section 19 times a first token against it, and section 2 hands
// it to the functions' imports, so one that read the keys at cold start again would pay here what it
// pays on Lambda (the SSM client, a signed request, the ring's validation) minus the network's round
// trip, which no local figure could stand for.

export interface FakeSsm {
  /** The environment a token function needs to reach it: endpoint, parameter name, credentials. */
  readonly env: Readonly<Record<string, string>>;
  /** The ring it answers (kid `bench`), for signing tokens the function will accept. */
  readonly ring: string;
  /** GetParameter calls answered so far. */
  reads(): number;
  close(): Promise<void>;
}

export async function startFakeSsm(): Promise<FakeSsm> {
  const parameterName = '/ecrm/bench/token-keys';
  const ring = JSON.stringify({ keys: [{ kid: 'bench', secret: 'b'.repeat(64) }] });
  let reads = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'AmazonSSM.GetParameter') {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'InvalidAction', message: `fake SSM answers GetParameter only, not ${String(target)}` }));
        return;
      }
      reads++;
      response.end(JSON.stringify({ Parameter: { Name: parameterName, Type: 'SecureString', Value: ring, Version: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ring,
    reads: () => reads,
    env: {
      TOKEN_KEYS_PARAMETER: parameterName,
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${port}`,
      // What Lambda puts in every function's environment (functions/shared/lambda-credentials.ts reads them).
      AWS_ACCESS_KEY_ID: 'AKIABENCH',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_SESSION_TOKEN: 'bench',
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
