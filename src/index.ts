/**
 * The package's plain-Node.js face (Node-RED loads the node files under nodes/ instead):
 * the connection engine, the dialects, the local order book and the simulator.
 */
export * from './engine';
export { getDialect, isItemOf, messageTopic } from './dialects';
export type { ApiName, Channel, Network, OutputItem, ItemOf, TopicSpec } from './dialects';
export type {
  AccountPayload, Balance, BookTickerPayload, ExecutionPayload, KlinePayload, OrderBookPayload, OrderPayload, PayloadByChannel, TickerPayload, TradePayload,
} from './dialects';
export { LocalBook } from './book/local-book';
export { startSimulator, Simulator } from './simulator';
export type { SimulatorOptions } from './simulator';
