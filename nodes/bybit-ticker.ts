/** `bybit-ticker`: 24-hour ticker statistics per symbol. */
import type { NodeAPI } from './common/red';
import { registerMarketNode } from './common/market-node';

export = function register(RED: NodeAPI): void {
  registerMarketNode(RED, {
    type: 'bybit-ticker',
    channel: 'ticker',
  });
};
