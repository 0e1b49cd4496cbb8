/**
 * Message ids for msgs this package creates: a random per-process prefix and a counter, as
 * unique within a runtime as Node-RED's own 16-hex-digit ids and far cheaper to make.
 */
import { randomBytes } from 'node:crypto';

/** The counter's last two hex digits, made once: most ids are then a single concatenation. */
const ENDINGS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let prefix = randomBytes(4).toString('hex');
let seq = 0;
/** The prefix and the counter's upper six hex digits: changes once every 256 ids. */
let stem = '';

export function nextMsgId(): string {
  seq = (seq + 1) >>> 0;
  const low = seq & 0xff;
  if (low === 0 || stem === '') {
    // After 2^32 ids take a new prefix rather than repeat one.
    if (seq === 0) prefix = randomBytes(4).toString('hex');
    stem = prefix + (seq >>> 8).toString(16).padStart(6, '0');
  }
  return stem + ENDINGS[low];
}
