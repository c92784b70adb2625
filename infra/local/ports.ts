import { createServer } from 'node:net';

/** Fails with a message a person can act on when something already listens on the port. */
export async function ensurePortFree(port: number, what: string, envName: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} for ${what} is already in use. Stop whatever uses it or choose another port with ${envName}=<port>.`
            : `Cannot listen on port ${port} for ${what}: ${error.message}`,
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const chosen = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(chosen));
    });
  });
}
