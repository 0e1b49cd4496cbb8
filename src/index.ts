/**
 * The package's plain-Node.js face (Node-RED loads the node files under nodes/ instead):
 * the connection engine, the dialects with their types and payloads, the local order book
 * and the simulator. The build writes declarations for it (dist/src/index.d.ts).
 */
export * from './engine';
export * from './dialects';
export { LocalBook, type ApplyResult, type BookView, type Level } from './book/local-book';
export { startSimulator, Simulator } from './simulator';
export type { SimulatorOptions } from './simulator';
