/** `bybit-liquidation`: liquidations of linear or inverse contracts (V5 `allLiquidation`), one msg per liquidation. */
import type { NodeAPI } from './common/red';
import { registerMarketNode } from './common/market-node';

export = function register(RED: NodeAPI): void {
  registerMarketNode(RED, {
    type: 'bybit-liquidation',
    channel: 'liquidation',
    collectWhenThrottled: true,
  });
};
