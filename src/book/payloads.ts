/**
 * Normalized payloads rendered from a local book: the orderbook node's top-N view and the
 * bookticker node's best bid/ask. Pure functions, so nodes only pick which one to send.
 */
import type { BookView, Level, LocalBook } from './local-book';

export interface OrderBookPayload {
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
  symbol: string;
  /** null while that side of the book is empty. */
  bidPrice: number | null;
  bidQty: number | null;
  askPrice: number | null;
  askQty: number | null;
  time: number | null;
}

/** The top `depth` levels of a book as the orderbook node's payload. */
export function orderBookPayload(book: LocalBook, depth: number, symbol = book.symbol): OrderBookPayload {
  return viewToOrderBook(book.view(depth), depth, symbol);
}

export function viewToOrderBook(view: BookView, depth: number, symbol = view.symbol): OrderBookPayload {
  return { symbol, bids: view.bids, asks: view.asks, depth, updateId: view.updateId, time: view.time, seq: view.seq, matchTime: view.matchTime };
}

/** The best bid and ask of a book as the bookticker node's payload. */
export function bookTickerPayload(book: LocalBook, symbol = book.symbol): BookTickerPayload {
  return viewToBookTicker(book.view(1), symbol);
}

export function viewToBookTicker(view: BookView, symbol = view.symbol): BookTickerPayload {
  const bid = view.bids[0];
  const ask = view.asks[0];
  return {
    symbol,
    bidPrice: bid ? bid[0] : null,
    bidQty: bid ? bid[1] : null,
    askPrice: ask ? ask[0] : null,
    askQty: ask ? ask[1] : null,
    time: view.time,
  };
}
