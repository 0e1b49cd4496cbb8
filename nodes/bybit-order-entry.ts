/**
 * `bybit-order-entry`: one msg in → one order request on the V5 Trade API (`/v5/trade`) →
 * one msg out with Bybit's reply, as a strategy of the palette-node runtime. It moves money,
 * so: nothing goes out unless the connection allows orders, the msg is checked completely
 * (fields, maxQty, maxNotional) before sending, and a request is never sent twice — a
 * timeout or a dropped socket is reported as "unknown", not retried.
 */
import { EngineError, type BybitClient, type TradeReply } from '../src/engine';
import { ConfigError, fieldInvalid, isAbsent } from './common/config';
import { inputError } from './common/i18n';
import { decimalOf, readOrder, type Decimal, type Guards, type OrderCommand } from './common/order-fields';
import { registerPaletteNode, type NodeRuntime, type PaletteStrategy, type Session } from './common/palette-node';
import type { NodeAPI, NodeDef, NodeMessage } from './common/red';
import type { View } from './common/status';

/** A guard field: empty = no guard, else a positive decimal. */
function readGuard(value: unknown, field: string): Decimal | undefined {
  if (isAbsent(value)) return undefined;
  const d = typeof value === 'string' ? decimalOf(value.trim()) : undefined;
  if (!d || d.units === 0n) throw fieldInvalid(field, value, 'a positive number, or empty');
  return d;
}

function readGuards(def: NodeDef): Guards {
  return { maxQty: readGuard(def.maxQty, 'maxQty'), maxNotional: readGuard(def.maxNotional, 'maxNotional') };
}

/** Where this connection cannot place orders at all: said in the node's status at deploy. */
function checkClient(client: BybitClient): void {
  if (client.dialect.name !== 'v5') throw new ConfigError('orderV5Only');
  if (client.network === 'demo') throw new ConfigError('demoNoTrade');
  if (!client.tradeUrl) throw new ConfigError('noTradeUrl');
  if (!client.hasCredentials) throw new ConfigError('noCredentials');
  if (!client.allowOrders) throw new ConfigError('ordersOff');
}

/** msg.payload out: Bybit's reply, orderId and orderLinkId at the top. */
function replyPayload(reply: TradeReply, sent: Record<string, unknown>): Record<string, unknown> {
  const data = reply.data;
  return {
    retCode: reply.retCode,
    retMsg: reply.retMsg,
    op: reply.op,
    orderId: typeof data.orderId === 'string' ? data.orderId : (sent.orderId ?? ''),
    orderLinkId: typeof data.orderLinkId === 'string' && data.orderLinkId ? data.orderLinkId : (sent.orderLinkId ?? ''),
    reqId: reply.reqId,
    header: reply.header,
    data,
  };
}

class OrderEntrySession implements Session<OrderCommand> {
  readonly endpoint = 'trade';

  constructor(private readonly rt: NodeRuntime, private readonly guards: Guards) {
    // No topics: the subscriber brings the trade socket's states (the status) and a rejected key (to Catch).
    rt.subscribe({ authFailed: (err) => rt.fault('trade', 'errors.authFailed', { detail: err.detail }) });
  }

  start(): void {
    // Open the socket now: the first order then does not wait for the handshake, and a bad key shows at once.
    this.rt.client.trade().open();
  }

  view(): View {
    return { open: { key: 'status.ordersReady' }, holds: true };
  }

  parse(msg: NodeMessage): OrderCommand {
    return readOrder(this.rt.RED, msg, this.guards);
  }

  async act(command: OrderCommand): Promise<NodeMessage> {
    const { op, args, msg } = command;
    let reply: TradeReply;
    try {
      // While a msg waits, a rejected key is that msg's error, not a second Catch report.
      reply = await this.rt.track('trade', this.rt.client.trade().request(op, args));
    } catch (err) {
      throw this.failed(err, command);
    }
    const payload = replyPayload(reply, args);
    if (reply.retCode !== 0) {
      throw inputError(this.rt.RED, 'errors.order.refused', { op, retCode: reply.retCode, retMsg: reply.retMsg, orderLinkId: payload.orderLinkId || payload.orderId });
    }
    return { ...msg, payload };
  }

  /** The engine's failure in words a flow can act on; a timeout or drop after sending is "unknown". */
  private failed(err: unknown, { op, args }: OrderCommand): Error {
    const subs = { op, orderLinkId: args.orderLinkId ?? args.orderId ?? '', detail: err instanceof Error ? err.message : String(err) };
    if (err instanceof EngineError) {
      subs.detail = err.detail;
      if (err.code === 'timeout' || err.code === 'closed') return inputError(this.rt.RED, 'errors.order.noReply', subs);
    }
    return this.rt.failure(err, op);
  }
}

export = function register(RED: NodeAPI): void {
  const strategy: PaletteStrategy<Guards, OrderCommand> = {
    type: 'bybit-order-entry',
    readConfig: readGuards,
    validate: (_guards, client) => checkClient(client),
    create: (rt, guards) => new OrderEntrySession(rt, guards),
  };
  registerPaletteNode(RED, strategy);
};
