/** The WebSocket paths the simulator serves and the dialect behind each (Bybit's own paths). */
import type { Dialect, DialectContext } from './dialect';
import { SpotV1PrivateDialect } from './spot-v1-private';
import { SpotV1PublicDialect } from './spot-v1';
import { SpotV3PrivateDialect } from './spot-v3-private';
import { SpotV3PublicDialect } from './spot-v3';
import { TRADE_PATH, V5TradeDialect } from './trade';
import type { TradeDesk } from './trade-desk';
import { V5PrivateDialect } from './v5-private';
import { V5PublicDialect } from './v5-public';

/** Insertion order matters: topic hooks try V5 first when a topic string fits several dialects. */
export function createRoutes(ctx: DialectContext, trade: TradeDesk): Map<string, Dialect> {
  return new Map<string, Dialect>([
    ['/v5/public/spot', new V5PublicDialect(ctx, 'spot')],
    ['/v5/public/linear', new V5PublicDialect(ctx, 'linear')],
    ['/v5/public/inverse', new V5PublicDialect(ctx, 'inverse')],
    ['/v5/public/option', new V5PublicDialect(ctx, 'option')],
    ['/v5/private', new V5PrivateDialect(ctx)],
    ['/spot/public/v3', new SpotV3PublicDialect(ctx)],
    ['/spot/private/v3', new SpotV3PrivateDialect(ctx)],
    ['/spot/quote/ws/v1', new SpotV1PublicDialect(ctx, 'v1')],
    ['/spot/quote/ws/v2', new SpotV1PublicDialect(ctx, 'v2')],
    ['/spot/ws', new SpotV1PrivateDialect(ctx)],
    [TRADE_PATH, new V5TradeDialect(ctx, trade)],
  ]);
}
