/**
 * The `op` envelope V5 and spot v3 share: requests `{req_id, op, args}` in batches, replies
 * `{op, success, ret_msg, req_id}` (or V5 option's `COMMAND_RESP`), pongs, and data frames
 * keyed by their `topic`. Reading a reply's verdict on its topics is this module's job.
 */
import type { AckReply, Decoded, OutgoingRequest, RequestOp } from './types';
import { isAlreadySubscribed } from './acks';
import { isRec, parseFrame, str, type Rec } from './fields';

/** Subscribe/unsubscribe requests of at most `maxArgs` topics each, one req_id per request. */
export function encodeOpRequests(op: RequestOp, keys: string[], maxArgs: number, nextReqId: () => string): OutgoingRequest[] {
  const out: OutgoingRequest[] = [];
  for (let i = 0; i < keys.length; i += maxArgs) {
    const batch = keys.slice(i, i + maxArgs);
    const reqId = nextReqId();
    out.push({ op, reqId, keys: batch, frame: JSON.stringify({ req_id: reqId, op, args: batch }) });
  }
  return out;
}

/** V5 names the topic that failed a request: "error:handler not found,topic:dcp.future". */
const BLAMED_TOPIC = /topic:([^\s,]+)/;

/** A subscribe/unsubscribe reply `{success, ret_msg, op, req_id?}`; it names a topic only when one failed it. */
function opAck(op: RequestOp, f: Rec, reqId: string | undefined): AckReply {
  const reason = str(f.ret_msg);
  if (f.success === true || isAlreadySubscribed(reason)) return { kind: 'ack', op, reqId, accepted: [], refused: [], reason: '', rest: 'accepted' };
  // One bad topic fails a whole V5 request: that topic is refused, the innocent ones go again.
  const blamed = BLAMED_TOPIC.exec(reason)?.[1];
  if (blamed) return { kind: 'ack', op, reqId, accepted: [], refused: [blamed], reason, rest: 'resend' };
  return { kind: 'ack', op, reqId, accepted: [], refused: [], reason, rest: 'refused' };
}

function topicList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * The V5 option/spread reply: no op, no ret_msg, the topics in two lists (docs:
 * websocket/wss-authentication.mdx, "Understanding the Subscription Response").
 */
function commandResponse(f: Rec, reqId: string | undefined): AckReply {
  const data = isRec(f.data) ? f.data : {};
  return { kind: 'ack', reqId, accepted: topicList(data.successTopics), refused: topicList(data.failTopics), reason: str(f.ret_msg), rest: 'awaited' };
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
  // V5 linear echoes "" when the request had no req_id: that is no id either.
  const reqId = f.req_id === undefined || f.req_id === null || f.req_id === '' ? undefined : str(f.req_id);
  // V5 public answers a ping with op "ping" and ret_msg "pong"; private and v3 with op "pong".
  // V5 private and option pongs carry the server's time in args (websocket/wss-authentication.mdx).
  if (op === 'pong') {
    const serverTime = serverTimeOf(f.args);
    return serverTime === undefined ? { kind: 'pong' } : { kind: 'pong', serverTime };
  }
  if (op === 'ping' && message === 'pong') return { kind: 'pong' };
  if (op === 'auth') return { kind: 'auth', success: f.success === true, message };
  if (op === 'subscribe' || op === 'unsubscribe') return opAck(op, f, reqId);
  if (f.type === 'COMMAND_RESP') return commandResponse(f, reqId);
  if (f.success === false) return { kind: 'error', message, reqId };
  return { kind: 'malformed', reason: 'frame of unknown shape' };
}

/** `args: ["1675418560633"]` → 1675418560633; undefined for anything else. */
function serverTimeOf(args: unknown): number | undefined {
  const first: unknown = Array.isArray(args) ? args[0] : undefined;
  const ms = typeof first === 'string' && /^\d{12,14}$/.test(first) ? Number(first) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}
