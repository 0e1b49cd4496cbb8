/**
 * The `op` envelope V5 and spot v3 share: requests `{req_id, op, args}` in batches, replies
 * `{op, success, ret_msg, req_id}`, pongs, and data frames keyed by their `topic`.
 */
import type { Decoded, OutgoingRequest } from './types';
import { isRec, parseFrame, str } from './fields';

/** Subscribe/unsubscribe requests of at most `maxArgs` topics each, one req_id per request. */
export function encodeOpRequests(op: 'subscribe' | 'unsubscribe', keys: string[], maxArgs: number, nextReqId: () => string): OutgoingRequest[] {
  const out: OutgoingRequest[] = [];
  for (let i = 0; i < keys.length; i += maxArgs) {
    const batch = keys.slice(i, i + maxArgs);
    const reqId = nextReqId();
    out.push({ op, reqId, keys: batch, frame: JSON.stringify({ req_id: reqId, op, args: batch }) });
  }
  return out;
}

export function decodeOpFrame(text: string): Decoded {
  const parsed = parseFrame(text);
  if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason };
  const f = parsed.value;
  if (!isRec(f)) return { kind: 'malformed', reason: 'frame is not a JSON object' };
  // Data frames are by far the most frequent: test for them first.
  if (typeof f.topic === 'string') {
    if (f.data === undefined) return { kind: 'malformed', reason: `data frame for ${f.topic} has no data` };
    return { kind: 'data', key: f.topic, frame: f };
  }
  const op = f.op;
  const message = str(f.ret_msg);
  const reqId = f.req_id === undefined || f.req_id === null ? undefined : str(f.req_id);
  // V5 public answers a ping with op "ping" and ret_msg "pong"; private and v3 with op "pong".
  if (op === 'pong' || (op === 'ping' && message === 'pong')) return { kind: 'pong' };
  if (op === 'auth') return { kind: 'auth', success: f.success === true, message };
  if (op === 'subscribe' || op === 'unsubscribe') return { kind: 'ack', op, reqId, success: f.success === true, message };
  if (f.success === false) return { kind: 'error', message, reqId };
  return { kind: 'malformed', reason: 'frame of unknown shape' };
}
