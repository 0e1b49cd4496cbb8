/** The connection engine: usable from plain Node.js, no Node-RED needed. */
export { BybitClient, Subscriber, specId, type ClientEvents, type ClientOptions, type SubscriberHandlers } from './client';
export { Connection, checkEndpointUrl, signAuth, type ConnectionEvents, type ConnectionState, type ConnectionStateEvent, type ResyncReason, type Credentials, type TopicOwner } from './connection';
export { Backoff, type BackoffOptions } from './backoff';
export { EngineError, type EngineErrorCode } from './errors';
export { TypedEmitter, type EventMap } from './typed-emitter';
