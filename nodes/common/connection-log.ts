/**
 * What the config node writes to the Node-RED log about its sockets: one line per connect,
 * per disconnect (with the cause and the next try), per auth result, per book resync, and
 * server errors; failures of our own code rate-limited. Never a key or a secret: URLs lose
 * their user info and query, server text is redacted by the engine.
 */
import { U_SKIPS, type BybitClient, type ConnectionStateEvent } from '../../src/engine';
import { t } from './i18n';
import type { Node, NodeAPI } from './red';
import { causeText, clockSeconds } from './status';

/** At most one log line of the same rate-limited kind this often. */
const QUIET_MS = 10_000;

/** scheme://host/path of an endpoint URL, without anything that could carry a secret. */
export function safeUrl(url: string | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** The log line for a state event, or undefined when it changes nothing worth a line. */
function stateLine(RED: NodeAPI, client: BybitClient, ev: ConnectionStateEvent): { warn: boolean; text: string } | undefined {
  const subs = { endpoint: ev.endpoint, url: safeUrl(client.endpoints[ev.endpoint]) };
  switch (ev.state) {
    case 'connecting':
      return { warn: false, text: t(RED, 'log.connecting', subs) };
    case 'open':
      return { warn: false, text: t(RED, ev.endpoint === 'private' ? 'log.authenticated' : 'log.connected', subs) };
    case 'reconnecting':
      // The attempt itself has no cause; the close that ends it does, with the next delay.
      if (!ev.cause || ev.delayMs === undefined) return undefined;
      return { warn: true, text: t(RED, 'log.disconnected', { ...subs, reason: causeText(RED, ev.cause), seconds: Math.max(1, Math.round(ev.delayMs / 1000)) }) };
    case 'auth-failed':
      return { warn: true, text: t(RED, 'log.authFailed', { ...subs, detail: ev.detail ?? '' }) };
    case 'error':
      return { warn: true, text: t(RED, 'log.error', { ...subs, detail: ev.detail ?? '' }) };
    case 'idle':
    case 'closed':
      return { warn: false, text: t(RED, 'log.closed', subs) };
  }
}

/** A function that runs `fn` at most once per QUIET_MS. */
function rateLimited(): (fn: () => void) => void {
  let last = -Infinity;
  return (fn) => {
    const now = Date.now();
    if (now - last < QUIET_MS) return;
    last = now;
    fn();
  };
}

/** Wires a client's events to the node's log. */
export function logConnectionEvents(RED: NodeAPI, node: Node, client: BybitClient): void {
  const lastLine = new Map<string, string>();
  client.on('state', (ev) => {
    const line = stateLine(RED, client, ev);
    // Auth-failed retries repeat the same line: one per change, not one per retry.
    if (!line || lastLine.get(ev.endpoint) === line.text) return;
    lastLine.set(ev.endpoint, line.text);
    if (line.warn) node.warn(line.text);
    else node.log(line.text);
  });
  client.on('resync', (key, why) => node.log(t(RED, 'log.resync', { key, why })));
  client.on('server-error', (message, endpoint) => node.warn(t(RED, 'log.serverError', { endpoint, message: message.slice(0, 200) })));
  const malformed = rateLimited();
  client.on('malformed', (reason, count) => malformed(() => node.warn(t(RED, 'errors.malformed', { reason, count }))));
  const internal = rateLimited();
  client.on('internal-error', (err, endpoint) => internal(() => node.error(t(RED, 'log.internal', { endpoint, detail: `${err.name}: ${err.message}`.slice(0, 200) }))));
  logClockAndBooks(RED, node, client);
}

/** What changes how the engine works on: a clock that is off (once per measurement), skipped book ids now allowed (once per topic). */
function logClockAndBooks(RED: NodeAPI, node: Node, client: BybitClient): void {
  client.on('clock-skew', (offsetMs) => {
    node.warn(t(RED, offsetMs > 0 ? 'errors.clockBehind' : 'errors.clockAhead', { seconds: clockSeconds(offsetMs) }));
  });
  const skipsLogged = new Set<string>();
  client.on('u-skips-allowed', (key, endpoint) => {
    if (skipsLogged.has(`${endpoint} ${key}`)) return;
    skipsLogged.add(`${endpoint} ${key}`);
    node.warn(t(RED, 'errors.uSkipsAllowed', { topic: key, endpoint, breaks: U_SKIPS.breaks, minutes: U_SKIPS.windowMs / 60_000 }));
  });
}
