// A small TCP proxy that stands for one workstation's network link to the hub: the test cuts it
// (the port refuses connections and every open connection, socket.io's included, is dropped, as
// when a laptop leaves the bank's network) and heals it again on the same port. Only that one
// workstation loses the hub; the hub and the other workstation keep talking.
import net from 'node:net';

export interface TcpProxy {
  /** The port the workstation dials (stays the same across cut and heal). */
  readonly port: number;
  readonly url: string;
  /** Connections accepted so far (to prove traffic went through the proxy). */
  readonly connections: number;
  readonly linked: boolean;
  /** Drops the link: stops listening and destroys every open connection. */
  cut(): Promise<void>;
  /** Restores the link on the same port. */
  heal(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** Starts a proxy on a free loopback port that forwards to `target` (host:port). */
export async function startTcpProxy(target: { host: string; port: number } | (() => { host: string; port: number })): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let connections = 0;
  let server: net.Server | null = null;
  let port = 0;

  const serve = () =>
    net.createServer((client) => {
      connections += 1;
      const to = typeof target === 'function' ? target() : target;
      const upstream = net.connect({ host: to.host, port: to.port });
      open.add(client);
      open.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      client.on('error', drop);
      upstream.on('error', drop);
      client.on('close', drop);
      upstream.on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });

  const up = async () => {
    const next = serve();
    port = await listen(next, port);
    server = next;
  };
  const down = async () => {
    const current = server;
    server = null;
    if (!current) return;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    for (const socket of open) socket.destroy();
    open.clear();
    await closed;
  };

  await up();
  return {
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get connections() {
      return connections;
    },
    get linked() {
      return server !== null;
    },
    cut: down,
    async heal() {
      if (!server) await up();
    },
    close: down,
  };
}
