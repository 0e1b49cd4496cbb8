/**
 * Who may drive the control routes. They move money in the simulated accounts and can flood
 * sockets, so a request must come from a loopback peer, name a loopback host (a DNS-rebinding
 * page sends its own name in `Host`), carry no foreign `Origin` (any web page the developer
 * visits could POST otherwise) and, for POST, a JSON body: a browser cannot send that
 * cross-site without a CORS preflight, which the simulator never answers.
 */
import type http from 'node:http';

export interface Refusal {
  status: 403 | 415;
  error: string;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** A host name (no port) that can only mean this machine. */
function isLoopbackName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** `Host` without its port, or undefined when it does not parse. */
function hostName(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

function originAllowed(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackName(url.hostname);
  } catch {
    return false; // "null" (sandboxed frames, file://) and junk
  }
}

/**
 * Why a control request is refused, or undefined when it may proceed. `boundHost` is the
 * address the simulator listens on, also accepted as a Host name when it is not a wildcard.
 */
export function refuseControl(req: http.IncomingMessage, boundHost: string): Refusal | undefined {
  if (!isLoopback(req.socket.remoteAddress)) return { status: 403, error: 'control routes accept loopback clients only' };
  const host = req.headers.host;
  const name = host === undefined ? undefined : hostName(host);
  const bound = boundHost.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (name === undefined || !(isLoopbackName(name) || name.replace(/^\[(.*)\]$/, '$1').toLowerCase() === bound)) {
    return { status: 403, error: 'control routes accept a loopback Host header only' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin)) return { status: 403, error: `control routes refuse requests from origin ${origin}` };
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return { status: 415, error: 'control routes take Content-Type: application/json' };
  }
  return undefined;
}
