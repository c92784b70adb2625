import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { ensurePortFree } from './ports.ts';

const require = createRequire(import.meta.url);
type SesLocal = { default: (config: { host?: string; port?: number }) => Promise<Server> };

/**
 * A copy of aws-ses-v2-local of its own: the package keeps its mail store in module state, and one
 * process may start several runtimes one after another (the test suite's workers keep their modules
 * from file to file), each of which must see only its own mail.
 */
function loadSesLocal(): SesLocal {
  const dir = dirname(require.resolve('aws-ses-v2-local/package.json'));
  for (const key of Object.keys(require.cache)) if (key.startsWith(`${dir}${sep}`)) delete require.cache[key];
  return require('aws-ses-v2-local') as SesLocal;
}

/** aws-ses-v2-local (SES v1 and v2 API) with its web inbox at / and JSON at /store. */
export async function startSesLocal(port: number, sesLocal: SesLocal = loadSesLocal()) {
  // Port 0 goes to the package as is: the kernel picks a free port as it listens. Checking a port
  // first and listening on it after leaves a gap another process can take (two test workers
  // starting runtimes at once did, once in a full run), and the package's listen has no error
  // handler. A port asked for by number is checked first, for a clear message when it is taken.
  const chosen = port === 0 ? 0 : await ensurePortFree(port, 'the local SES endpoint', 'SES_PORT');
  const server = await sesLocal.default({ host: '127.0.0.1', port: chosen });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : chosen;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    /** Listens again on the same port with the same store (after `stop`: an SES outage and its end). */
    restart: () => startSesLocal(actual, sesLocal),
    async stop() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
