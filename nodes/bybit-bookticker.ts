/** `bybit-bookticker`: best bid and ask per symbol (V5: from the orderbook.1 book; v3/v1: their own stream). */
import { bookTickerPayload } from '../src/book/payloads';
import { messageTopic, specCategory } from '../src/dialects';
import type { NodeAPI } from './common/red';
import { registerMarketNode } from './common/market-node';

export = function register(RED: NodeAPI): void {
  registerMarketNode(RED, {
    type: 'bybit-bookticker',
    channel: 'bookticker',
    fromBook: (spec, book, raw) => {
      const symbol = spec.symbol ?? book.symbol;
      return { channel: 'bookticker', topic: messageTopic(spec, symbol), symbol, payload: bookTickerPayload(book, symbol, specCategory(spec)), raw };
    },
  });
};
