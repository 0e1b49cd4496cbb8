/** Message ids made on the hot path: Node-RED's shape (16 hex digits), never repeated. */
import assert from 'node:assert/strict';
import { nextMsgId } from '../nodes/common/msg-id';

describe('msg ids', function () {
  it('are 16 hex digits and unique over 100,000 msgs, across the counter\'s 256-id steps', function () {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const id = nextMsgId();
      assert.match(id, /^[0-9a-f]{16}$/);
      seen.add(id);
    }
    assert.equal(seen.size, 100_000);
    // Consecutive ids count up by one in their last eight digits, also where a step of 256 begins.
    const a = nextMsgId();
    const tail = (id: string) => parseInt(id.slice(8), 16);
    for (let i = 0; i < 600; i++) assert.equal(tail(nextMsgId()), tail(a) + i + 1);
  });
});
