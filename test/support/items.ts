/** Reading dialect items in tests without casting: check the channel, get its payload type. */
import assert from 'node:assert/strict';
import { isItemOf, type Channel, type OutputItem, type PayloadByChannel } from '../../src/dialects';

export function payloadOf<C extends Channel>(item: OutputItem | undefined, channel: C): PayloadByChannel[C] {
  assert.ok(item, `an item of ${channel}`);
  if (isItemOf(item, channel)) return item.payload;
  return assert.fail(`expected a ${channel} item, got ${item.channel}`);
}
