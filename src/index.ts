/**
 * The package's plain-Node.js face (Node-RED loads the node files under nodes/ instead):
 * the connection engine, the dialects, the local order book and the simulator.
 */
export * from './engine';
export { getDialect } from './dialects';
export type { ApiName, Channel, Network, OutputItem, TopicSpec } from './dialects';
export { LocalBook } from './book/local-book';
export { startSimulator, Simulator } from './simulator';
export type { SimulatorOptions } from './simulator';
