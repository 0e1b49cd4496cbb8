/**
 * HTTP(S) proxy for outgoing sockets, chosen the way Node-RED's core websocket node does:
 * from `http_proxy` / `https_proxy` / `all_proxy` / `no_proxy` (either case). A `ws://` URL
 * takes the http proxy and `wss://` the https one, as the schemes they upgrade from.
 * The environment lookup and the CONNECT tunnel are well-kept libraries' jobs, not ours.
 */
import type { Agent } from 'node:http';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

/** The proxy URL the environment names for a socket URL, or '' for a direct connection. */
export function proxyUrlFor(url: string): string {
  const asHttp = url.replace(/^ws(s?):/i, 'http$1:');
  return getProxyForUrl(asHttp);
}

/** An agent that tunnels through the environment's proxy, or undefined to connect directly. */
export function proxyAgentFor(url: string): Agent | undefined {
  const proxy = proxyUrlFor(url);
  return proxy ? new HttpsProxyAgent(proxy) : undefined;
}
