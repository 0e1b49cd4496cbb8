/**
 * Normalized payloads rendered from a local book: the orderbook node's top-N view and the
 * bookticker node's best bid/ask. Pure functions, so nodes only pick which one to send.
 */
import type { BookView, Level, LocalBook } from './local-book';

/** A V5 category (src/dialects/types.ts names the same words; book/ does not import dialects). */
export type BookCategory = 'spot' | 'linear' | 'inverse' | 'option';

export interface OrderBookPayload {
  category: BookCategory;
  symbol: string;
  /** [[price, qty], ...], best first, at most `depth` levels. */
  bids: Level[];
  asks: Level[];
  /** The depth the node asked for: the most levels a side may carry. */
  depth: number;
  updateId: number | null;
  time: number | null;
  /** V5 cross sequence of the last frame applied (`seq`); null in spot v3/v1. */
  seq: number | null;
  /** V5 `cts`: when the matching engine produced the last frame applied; null in spot v3/v1. */
  matchTime: number | null;
}

export interface BookTickerPayload {
  category: BookCategory;
  symbol: string;
  /** null while that side of the book is empty. */
  bidPrice: number | null;
  bidQty: number | null;
  askPrice: number | null;
  askQty: number | null;
  time: number | null;
}

/** The top `depth` levels of a book as the orderbook node's payload. */
export function orderBookPayload(book: LocalBook, depth: number, symbol = book.symbol, category: BookCategory = 'spot'): OrderBookPayload {
  return viewToOrderBook(book.view(depth), depth, symbol, category);
}

export function viewToOrderBook(view: BookView, depth: number, symbol = view.symbol, category: BookCategory = 'spot'): OrderBookPayload {
  return { category, symbol, bids: view.bids, asks: view.asks, depth, updateId: view.updateId, time: view.time, seq: view.seq, matchTime: view.matchTime };
}

/** The best bid and ask of a book as the bookticker node's payload. */
export function bookTickerPayload(book: LocalBook, symbol = book.symbol, category: BookCategory = 'spot'): BookTickerPayload {
  return viewToBookTicker(book.view(1), symbol, category);
}

export function viewToBookTicker(view: BookView, symbol = view.symbol, category: BookCategory = 'spot'): BookTickerPayload {
  const bid = view.bids[0];
  const ask = view.asks[0];
  return {
    category,
    symbol,
    bidPrice: bid ? bid[0] : null,
    bidQty: bid ? bid[1] : null,
    askPrice: ask ? ask[0] : null,
    askQty: ask ? ask[1] : null,
    time: view.time,
  };
}
