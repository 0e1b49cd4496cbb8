/**
 * A child process running one bybit node in the real, embedded Node-RED runtime, so a test
 * can push load at it and read its memory without the test helper's spies in the figures.
 * Started with fork(); argv[2] is JSON {publicUrl, source, costMicros}. It reports over IPC:
 * {type: 'ready'} at the first msg; on {type: 'stats', gc?} it answers {type: 'stats', count,
 * baseHeap, peakHeap, heap, rss} (after a full GC when asked); on {type: 'until', n} it
 * answers {type: 'reached'} once n msgs have arrived.
 */
import { EmbeddedRed } from './embedded-red';

interface RunnerConfig {
  publicUrl: string;
  source: Record<string, unknown>;
  costMicros?: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as RunnerConfig;
  const gc = (global as unknown as { gc?: () => void }).gc;
  let count = 0;
  let ready = false;
  let target = Infinity;
  const red = new EmbeddedRed(() => {
    count++;
    if (!ready) {
      ready = true;
      process.send?.({ type: 'ready' });
    }
    if (count >= target) {
      target = Infinity;
      process.send?.({ type: 'reached' });
    }
  });
  await red.start();
  gc?.();
  const baseHeap = process.memoryUsage().heapUsed;
  let peakHeap = baseHeap;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 10);
  await red.deploy(config.publicUrl, config.source, config.costMicros ?? 0);
  process.on('message', async (m: { type: string; gc?: boolean; n?: number }) => {
    if (m.type === 'until') {
      if (count >= (m.n ?? 0)) process.send?.({ type: 'reached' });
      else target = m.n ?? 0;
    } else if (m.type === 'stats') {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      if (m.gc) gc?.();
      const mem = process.memoryUsage();
      process.send?.({ type: 'stats', count, baseHeap, peakHeap, heap: mem.heapUsed, rss: mem.rss });
    } else if (m.type === 'stop') {
      clearInterval(sampler);
      await red.stop();
      process.exit(0);
    }
  });
  process.send?.({ type: 'started' });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
