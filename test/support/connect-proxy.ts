/**
 * A minimal HTTP CONNECT proxy for tests: it tunnels to whatever its `resolve` map says a
 * host name is, so a URL naming a host only the proxy knows works through it and nowhere else.
 */
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ConnectProxy {
  url: string;
  /** Every CONNECT target the proxy was asked for, "host:port". */
  targets: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(resolve: Record<string, string>): Promise<ConnectProxy> {
  const targets: string[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket) => {
    const target = req.url ?? '';
    targets.push(target);
    const [host, port] = target.split(':');
    const upstream = connect(Number(port), resolve[host] ?? host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    close: () => {
      for (const s of open) s.destroy();
      return new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
