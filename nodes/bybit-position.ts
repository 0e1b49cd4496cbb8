/**
 * `bybit-position`: the account's derivative positions (V5 only), one msg per update; `side`
 * is null when flat. Category linear (default), inverse, option or all; symbols filter.
 */
import type { NodeAPI } from './common/red';
import { POSITION_CATEGORIES, registerPrivateNode } from './common/private-node';

export = function register(RED: NodeAPI): void {
  registerPrivateNode(RED, {
    type: 'bybit-position',
    channel: 'position',
    symbolFilter: true,
    collectWhenThrottled: true,
    categories: POSITION_CATEGORIES,
    v5Only: true,
  });
};
