import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { ensurePortFree } from './ports.ts';

const require = createRequire(import.meta.url);
const sesLocal = require('aws-ses-v2-local') as { default: (config: { host?: string; port?: number }) => Promise<Server> };

/** aws-ses-v2-local (SES v1 and v2 API) with its web inbox at / and JSON at /store. */
export async function startSesLocal(port: number) {
  const chosen = await ensurePortFree(port, 'the local SES endpoint', 'SES_PORT');
  const server = await sesLocal.default({ host: '127.0.0.1', port: chosen });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : chosen;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    async stop() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
