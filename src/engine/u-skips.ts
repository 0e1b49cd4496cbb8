/**
 * Which book topics may skip update ids. Bybit's orderbook page no longer promises that `u`
 * rises by exactly 1 (v5 websocket/public/orderbook.mdx, field `u`: only `u = 1` after a restart
 * and a repeated level-1 snapshot are described), so a skipped `u` is a gap at first, but a topic
 * whose fresh books keep breaking only on skips has them allowed (DESIGN.md, reliability rules).
 * One record per client, shared by the sockets of every endpoint: a topic keeps its verdict when
 * it is resubscribed or moves to another socket.
 */
import type { EndpointName } from '../dialects/types';
import { U_SKIPS } from './options';

export class USkipPolicy {
  /** Recent skip breaks per topic (their times), only for topics whose skips are not allowed yet. */
  private readonly breaks = new Map<string, number[]>();
  private readonly allowed = new Set<string>();

  /** @param now the machine's clock, ms */
  constructor(private readonly now: () => number = Date.now) {}

  allows(endpoint: EndpointName, key: string): boolean {
    return this.allowed.has(`${endpoint} ${key}`);
  }

  /**
   * A book of the topic broke on a skipped `u`. Returns true when that was the break that makes
   * its skips allowed (once per topic), false while they still count as gaps.
   */
  noteSkip(endpoint: EndpointName, key: string): boolean {
    const id = `${endpoint} ${key}`;
    if (this.allowed.has(id)) return false;
    const now = this.now();
    const recent = (this.breaks.get(id) ?? []).filter((t) => now - t < U_SKIPS.windowMs);
    recent.push(now);
    if (recent.length < U_SKIPS.breaks) {
      this.breaks.set(id, recent);
      return false;
    }
    this.breaks.delete(id);
    this.allowed.add(id);
    return true;
  }
}
