import { createServer, type Server, type Socket } from 'node:net';

// Endpoints that are not the service a client expects: a port nobody listens on, and a TCP server
// that accepts connections and never answers (a black hole). For the tests that bound how long a
// client waits for a dependency that is down or silent.

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

export async function unreachableEndpoints() {
  const sockets = new Set<Socket>();
  const blackHole = createServer((socket) => {
    sockets.add(socket); // read nothing, answer nothing
    socket.on('close', () => sockets.delete(socket));
  });
  const closed = createServer();
  const closedPort = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const blackHolePort = await listen(blackHole);
  return {
    closed: `http://127.0.0.1:${closedPort}`,
    blackHole: `http://127.0.0.1:${blackHolePort}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    },
  };
}
