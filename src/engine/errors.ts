/**
 * Errors the engine hands to its users. `code` is stable (nodes map it to a message catalog
 * key); `detail` is the server's own words or a short reason, never a credential.
 */
export type EngineErrorCode =
  | 'rejected' // the server refused a subscription (detail: its ret_msg)
  | 'timeout' // no reply to a request in time
  | 'no-credentials' // a private topic without an API key and secret
  | 'auth-failed' // the server refused the credentials (detail: its reason)
  | 'bad-url' // an endpoint URL that cannot be used
  | 'insecure' // credentials would travel unencrypted to a remote host
  | 'orders-off' // an order on a connection whose "Allow orders" box is not ticked
  | 'closed'; // the client was closed (or the order socket dropped) while the request was in flight

export class EngineError extends Error {
  constructor(readonly code: EngineErrorCode, readonly detail = '') {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'EngineError';
  }
}
