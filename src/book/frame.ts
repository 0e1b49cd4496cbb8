/**
 * What a local book is fed: one order-book frame in dialect-neutral words. Each dialect reads
 * its own wire format into this shape (dialects depend on the book, not the reverse).
 */
export interface BookFrame {
  kind: 'snapshot' | 'delta';
  symbol: string;
  bids: [string, string][];
  asks: [string, string][];
  /** Update id; null when the dialect has none (v1/v3 push full snapshots). */
  updateId: number | null;
  time: number | null;
  /** V5 cross sequence (`seq`); absent or null elsewhere. */
  seq?: number | null;
  /** V5 `cts`: when the matching engine produced this book; absent or null elsewhere. */
  matchTime?: number | null;
  raw: unknown;
}
