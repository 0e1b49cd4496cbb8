/** `bybit-execution`: the account's fills, optionally for some symbols only. */
import type { NodeAPI } from './common/red';
import { ORDER_CATEGORIES, registerPrivateNode } from './common/private-node';

export = function register(RED: NodeAPI): void {
  registerPrivateNode(RED, { type: 'bybit-execution', channel: 'execution', symbolFilter: true, collectWhenThrottled: true, categories: ORDER_CATEGORIES });
};
