/** The socket's frames in turns: bounded work per event-loop turn, order kept, the socket paused past the high-water mark. */
import assert from 'node:assert/strict';
import { FrameInbox } from '../src/engine/frame-inbox';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(limits = { framesPerTurn: 3, bytesPerTurn: 1000, highWater: 5 }) {
  const handled: string[] = [];
  const socket = { paused: 0, resumed: 0, pause() { this.paused++; }, resume() { this.resumed++; } };
  const inbox = new FrameInbox(socket, (data) => handled.push(data === null ? 'binary' : data.toString()), limits);
  return { handled, socket, inbox };
}

describe('frame inbox', function () {
  it('handles a burst a few frames per turn, in order, with other work running between turns', async function () {
    const { handled, inbox } = setup();
    for (let i = 0; i < 7; i++) inbox.push(Buffer.from(`f${i}`));
    inbox.push(null);
    assert.deepEqual(handled, [], 'nothing is handled inside the read that delivered the frames');
    await nextTurn();
    assert.deepEqual(handled, ['f0', 'f1', 'f2']);
    await nextTurn();
    assert.deepEqual(handled, ['f0', 'f1', 'f2', 'f3', 'f4', 'f5']);
    await nextTurn();
    assert.deepEqual(handled.slice(6), ['f6', 'binary']);
    assert.equal(inbox.waiting, 0);
  });

  it('ends a turn at its byte budget, but always handles one frame', async function () {
    const { handled, inbox } = setup({ framesPerTurn: 10, bytesPerTurn: 100, highWater: 50 });
    inbox.push(Buffer.alloc(300, 'a'));
    inbox.push(Buffer.alloc(60, 'b'));
    inbox.push(Buffer.alloc(60, 'c'));
    inbox.push(Buffer.alloc(10, 'd'));
    await nextTurn();
    assert.equal(handled.length, 1);
    await nextTurn();
    assert.deepEqual(handled.slice(1).map((h) => h[0]), ['b', 'c']);
    await nextTurn();
    assert.deepEqual(handled.slice(3).map((h) => h[0]), ['d']);
  });

  it('pauses the socket at the high-water mark and resumes it once the frames are handled', async function () {
    const { handled, socket, inbox } = setup();
    for (let i = 0; i < 4; i++) inbox.push(Buffer.from(`f${i}`));
    assert.equal(socket.paused, 0);
    inbox.push(Buffer.from('f4'));
    inbox.push(Buffer.from('f5'));
    assert.equal(socket.paused, 1, 'paused once, at five waiting');
    while (inbox.waiting > 0) await nextTurn();
    assert.equal(handled.length, 6);
    assert.equal(socket.resumed, 1);
  });

  it('flushes what waits now (a close comes after its frames), or discards it (closed for good)', async function () {
    const { handled, socket, inbox } = setup();
    for (let i = 0; i < 6; i++) inbox.push(Buffer.from(`f${i}`));
    inbox.flush();
    assert.equal(handled.length, 6);
    assert.equal(socket.resumed, 1);
    inbox.push(Buffer.from('late'));
    inbox.discard();
    await nextTurn();
    assert.equal(handled.length, 6);
  });
});
