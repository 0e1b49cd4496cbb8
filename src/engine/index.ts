/** The connection engine: usable from plain Node.js, no Node-RED needed. */
export { BybitClient, type ClientEvents, type ClientOptions } from './client';
export { Subscriber, specId, type SubscriberHandlers } from './subscriber';
export { Connection, type ConnectionEvents, type ConnectionOptions, type ConnectionState, type ConnectionStateEvent, type ResyncReason } from './connection';
export { checkEndpointUrl, signAuth, type Credentials } from './auth';
export type { TopicOwner } from './subscriptions';
export type { ConnectionTimings } from './options';
export { Backoff, type BackoffOptions } from './backoff';
export { EngineError, type EngineErrorCode } from './errors';
export { DEFAULT_LIMITS, resolveLimits, type Limits } from './limits';
export type { CauseKind, DisconnectCause } from './cause';
export { TypedEmitter, type EventMap } from './typed-emitter';
export { TradeConnection, MAX_ORDER_TIMEOUT_MS } from './trade';
export { TRADE_OPS, type TradeOp, type TradeReply } from '../dialects/v5-trade';
export { USkipPolicy } from './u-skips';
export { U_SKIPS } from './options';
