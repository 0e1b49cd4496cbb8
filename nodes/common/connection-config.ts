/** The config node's fields and the face it shows to palette nodes. */
import type { BybitClient } from '../../src/engine';
import type { ApiName, Network } from '../../src/dialects';
import type { ConfigError } from './config';
import type { Node } from './red';

export const NETWORKS: Network[] = ['mainnet', 'testnet', 'demo', 'custom'];
export const APIS: ApiName[] = ['v5', 'spot-v3', 'spot-v1'];
export const PING_INTERVAL = { min: 5, max: 300, default: 20 };

/** What palette nodes read from their config node. */
export interface ConnectionNode extends Node {
  client?: BybitClient;
  /** Why no client could be made (a configuration mistake); every palette node using it shows it. */
  problem?: ConfigError;
  api: ApiName;
}
