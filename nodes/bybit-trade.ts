/** `bybit-trade`: public trades, one msg per trade (an array per window when throttled). */
import type { NodeAPI } from './common/red';
import { registerMarketNode } from './common/market-node';

export = function register(RED: NodeAPI): void {
  registerMarketNode(RED, {
    type: 'bybit-trade',
    channel: 'trade',
    collectWhenThrottled: true,
  });
};
