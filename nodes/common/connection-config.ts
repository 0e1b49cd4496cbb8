/** The config node's fields and the face it shows to palette nodes. */
import type { BybitClient } from '../../src/engine';
import type { ApiName } from '../../src/dialects';
import type { ConfigError } from './config';
import type { Node } from './red';

export { APIS, NETWORKS, PING_INTERVAL } from '../../src/config-rules';

/** What palette nodes read from their config node. */
export interface ConnectionNode extends Node {
  client?: BybitClient;
  /** Why no client could be made (a configuration mistake); every palette node using it shows it. */
  problem?: ConfigError;
  api: ApiName;
}
