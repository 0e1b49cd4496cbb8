/**
 * Local Bybit WebSocket simulator: V5, spot v3 and spot v1 wire dialects over one port,
 * seeded market data, private account streams, fault injection and a load mode.
 * Written independently of src/engine and src/dialects: it is the other side of the wire.
 */
import { Simulator, type SimulatorOptions } from './server';

export { Simulator, DEFAULT_CREDENTIALS } from './server';
export type {
  ConnectionEvent,
  DropOptions,
  RecordedRequest,
  SimulatorEvents,
  SimulatorOptions,
  SubscriptionEvent,
} from './server';
export type { LoadOptions, LoadPayload, LoadResult } from './load';
export type { MalformedKind } from './faults';
export type { AccountEvent, BalanceInput, Fill, LifecycleInput, OrderInput } from './account';
export { sign as signAuth } from './auth';
export { TRADE_PATH } from './trade';
export type { TradeOutcome } from './trade-desk';
export type { LimitSettings } from './trade-limits';
export { DEFAULT_WIRE, LEGACY_CLIENT_WIRE, type WireOptions } from './dialect';
export type { Category } from './instruments';
export type { PositionInput, PositionView } from './account';
export type { LiquidationInjection, TradeInjection } from './server';

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new Simulator(opts);
  await sim.listen();
  return sim;
}
