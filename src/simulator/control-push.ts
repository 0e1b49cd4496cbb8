/**
 * `POST /control/push`: sends any frame to every socket (on one path), for hostile-server
 * tests. Body: `path?`, one of `text` (sent as is), `json` (stringified) or `shape` (a
 * generated giant, see push.ts), and `repeat` (1..10,000). Sizes are capped before building.
 */
import { BadRequest, int, obj, oneOf, str, type Body, type Handler } from './control-args';
import { buildPushFrame, estimateBytes, MAX_PUSH_BYTES, MAX_PUSH_REPEAT, MAX_PUSH_TOTAL_BYTES, PUSH_SHAPES, type PushShape } from './push';
import { SYMBOL_RE } from './topics';

const MAX_UNITS = 5_000_000;

function symbol(b: Body): string {
  const s = str(b, 'symbol', true) ?? 'BTCUSDT';
  if (!SYMBOL_RE.test(s)) throw new BadRequest('symbol must be upper-case letters and digits');
  return s;
}

function readShape(b: Body): PushShape {
  const kind = oneOf(b, 'kind', PUSH_SHAPES)!;
  switch (kind) {
    case 'wallet':
      return { kind, items: int(b, 'items', 1, MAX_UNITS, true) ?? 1, coins: int(b, 'coins', 0, MAX_UNITS, true) ?? 1 };
    case 'trade':
      return { kind, symbol: symbol(b), items: int(b, 'items', 1, MAX_UNITS, true) ?? 1, nest: int(b, 'nest', 0, MAX_UNITS, true) ?? 0, dataSymbol: str(b, 'dataSymbol', true) };
    case 'orderbook':
      return {
        kind, symbol: symbol(b), levels: int(b, 'levels', 1, MAX_UNITS)!, depth: int(b, 'depth', 1, 1000, true) ?? 50,
        type: oneOf(b, 'type', ['snapshot', 'delta'] as const, true) ?? 'delta', u: int(b, 'u', 0, Number.MAX_SAFE_INTEGER, true),
      };
    case 'padding':
      return { kind, bytes: int(b, 'bytes', 1, MAX_PUSH_BYTES)! };
  }
}

function frameText(sim: Parameters<Handler>[0], b: Body): string {
  const given = ['text', 'json', 'shape'].filter((k) => b[k] !== undefined);
  if (given.length !== 1) throw new BadRequest('give exactly one of text, json or shape');
  if (b.text !== undefined) return str(b, 'text')!;
  if (b.json !== undefined) return JSON.stringify(b.json);
  const shape = readShape(obj(b, 'shape')!);
  if (estimateBytes(shape) > MAX_PUSH_BYTES) throw new BadRequest(`shape would exceed ${MAX_PUSH_BYTES} bytes`);
  return buildPushFrame(shape, sim.market, Date.now());
}

export const PUSH_ROUTES: Record<string, Handler> = {
  '/control/push': (sim, b) => {
    const repeat = int(b, 'repeat', 1, MAX_PUSH_REPEAT, true) ?? 1;
    const path = str(b, 'path', true);
    const text = frameText(sim, b);
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_PUSH_BYTES) throw new BadRequest(`frame exceeds ${MAX_PUSH_BYTES} bytes`);
    if (bytes * repeat > MAX_PUSH_TOTAL_BYTES) throw new BadRequest(`frame x repeat exceeds ${MAX_PUSH_TOTAL_BYTES} bytes`);
    let sockets = 0;
    for (let i = 0; i < repeat; i++) sockets = sim.sendRaw(text, path);
    return { sockets, frames: repeat, bytes };
  },
};
