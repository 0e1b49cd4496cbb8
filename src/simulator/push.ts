/**
 * Frames for the push control route: exactly what a test asks for, or a generated giant in
 * one of Bybit's V5 shapes (a wallet with many items and coins, a public trade item nested
 * deep, an order book frame with many levels, plain padding). Built as text, never through
 * JSON.stringify, so a 1,000,000-level nesting does not blow the simulator's own stack.
 */
import { randomUUID } from 'node:crypto';
import type { Market } from './market';

export type PushShape =
  | { kind: 'wallet'; items: number; coins: number }
  | { kind: 'trade'; symbol: string; items: number; nest: number; dataSymbol?: string }
  | { kind: 'orderbook'; symbol: string; levels: number; depth: number; type: 'snapshot' | 'delta'; u?: number }
  | { kind: 'padding'; bytes: number };

export const PUSH_SHAPES = ['wallet', 'trade', 'orderbook', 'padding'] as const;

/** Upper bound on one pushed frame, and on a frame times its repeats. */
export const MAX_PUSH_BYTES = 64 * 1024 * 1024;
export const MAX_PUSH_TOTAL_BYTES = 256 * 1024 * 1024;
export const MAX_PUSH_REPEAT = 10_000;

/** Rough bytes per unit of each shape, to refuse a request before building it. */
const UNIT_BYTES = { walletCoin: 240, walletItem: 120, trade: 150, nest: 6, level: 40 };

export function estimateBytes(shape: PushShape): number {
  switch (shape.kind) {
    case 'wallet':
      return shape.items * (UNIT_BYTES.walletItem + shape.coins * UNIT_BYTES.walletCoin);
    case 'trade':
      return shape.items * UNIT_BYTES.trade + shape.nest * UNIT_BYTES.nest;
    case 'orderbook':
      return 2 * shape.levels * UNIT_BYTES.level + 200;
    case 'padding':
      return shape.bytes;
  }
}

export function buildPushFrame(shape: PushShape, market: Market, now: number): string {
  switch (shape.kind) {
    case 'wallet':
      return walletFrame(shape.items, shape.coins, now);
    case 'trade':
      return tradeFrame(market, shape, now);
    case 'orderbook':
      return bookFrame(market, shape, now);
    case 'padding': {
      const head = `{"simulator":"padding","ts":${now},"padding":"`;
      return `${head}${'x'.repeat(Math.max(0, shape.bytes - head.length - 2))}"}`;
    }
  }
}

/** websocket/private/wallet.mdx, one account item per `items`, each with `coins` coins. */
function walletFrame(items: number, coins: number, now: number): string {
  const coinList: string[] = [];
  for (let c = 0; c < coins; c++) {
    coinList.push(
      `{"coin":"C${c}","equity":"1","usdValue":"1","walletBalance":"1","availableToWithdraw":"1","borrowAmount":"0",` +
        `"accruedInterest":"0","totalOrderIM":"0","totalPositionIM":"0","totalPositionMM":"0","unrealisedPnl":"0",` +
        `"cumRealisedPnl":"0","bonus":"0","collateralSwitch":true,"marginCollateral":true,"locked":"0","spotBorrow":"0"}`,
    );
  }
  const item = `{"accountType":"UNIFIED","totalEquity":"${coins}","totalWalletBalance":"${coins}","totalAvailableBalance":"${coins}","coin":[${coinList.join(',')}]}`;
  return `{"id":"${randomUUID()}","topic":"wallet","creationTime":${now},"data":[${new Array<string>(items).fill(item).join(',')}]}`;
}

/** websocket/public/trade.mdx items; with `nest`, each item's extra field `x` is that many objects deep. */
function tradeFrame(market: Market, shape: Extract<PushShape, { kind: 'trade' }>, now: number): string {
  const sym = market.symbol(shape.symbol);
  const price = sym.price(sym.last);
  const deep = shape.nest > 0 ? `,"x":${'{"x":'.repeat(shape.nest)}0${'}'.repeat(shape.nest)}` : '';
  const items: string[] = [];
  for (let i = 0; i < shape.items; i++) {
    items.push(`{"T":${now},"s":"${shape.dataSymbol ?? shape.symbol}","S":"Buy","v":"0.001","p":"${price}","L":"PlusTick","i":"${randomUUID()}","BT":false${i === 0 ? deep : ''}}`);
  }
  return `{"topic":"publicTrade.${shape.symbol}","type":"snapshot","ts":${now},"data":[${items.join(',')}]}`;
}

/** websocket/public/orderbook.mdx with `levels` levels a side, one grid step apart from the mid. */
function bookFrame(market: Market, shape: Extract<PushShape, { kind: 'orderbook' }>, now: number): string {
  const sym = market.symbol(shape.symbol);
  const grid = sym.info.grid;
  const bids: string[] = [];
  const asks: string[] = [];
  for (let i = 1; i <= shape.levels; i++) {
    const bid = sym.mid - i * grid;
    if (bid > 0) bids.push(`["${sym.price(bid)}","${sym.qty(1 + (i % 997))}"]`);
    asks.push(`["${sym.price(sym.mid + i * grid)}","${sym.qty(1 + (i % 991))}"]`);
  }
  const u = shape.u ?? (market.findBook(shape.symbol, shape.depth)?.u ?? 0) + 1;
  const topic = `orderbook.${shape.depth}.${shape.symbol}`;
  return `{"topic":"${topic}","ts":${now},"type":"${shape.type}","cts":${now},"data":{"s":"${shape.symbol}","b":[${bids.join(',')}],"a":[${asks.join(',')}],"u":${u},"seq":${sym.crossSeq}}}`;
}
