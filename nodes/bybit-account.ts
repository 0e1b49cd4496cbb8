/** `bybit-account`: wallet balance changes of the account behind the connection's API key. */
import type { NodeAPI } from './common/red';
import { mergeAccountItems, registerPrivateNode } from './common/private-node';

export = function register(RED: NodeAPI): void {
  registerPrivateNode(RED, { type: 'bybit-account', channel: 'account', symbolFilter: false, combine: mergeAccountItems });
};
