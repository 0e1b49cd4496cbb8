/** `bybit-order`: the account's order updates (conditional orders included), optionally for some symbols only. */
import type { NodeAPI } from './common/red';
import { ORDER_CATEGORIES, registerPrivateNode } from './common/private-node';

export = function register(RED: NodeAPI): void {
  registerPrivateNode(RED, { type: 'bybit-order', channel: 'order', symbolFilter: true, collectWhenThrottled: true, categories: ORDER_CATEGORIES });
};
