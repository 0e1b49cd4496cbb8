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
