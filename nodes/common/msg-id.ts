/**
 * Message ids for msgs this package creates: a random per-process prefix and a counter, as
 * unique within a runtime as Node-RED's own 16-hex-digit ids and far cheaper to make.
 */
import { randomBytes } from 'node:crypto';

let prefix = randomBytes(4).toString('hex');
let seq = 0;

export function nextMsgId(): string {
  seq = (seq + 1) >>> 0;
  // After 2^32 ids take a new prefix rather than repeat one.
  if (seq === 0) prefix = randomBytes(4).toString('hex');
  const n = seq.toString(16);
  return prefix + '00000000'.slice(n.length) + n;
}
