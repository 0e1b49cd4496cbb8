/** The account model's view of market prices (last, mark, USD value of a coin). */
import type { MarketLink } from './account';
import { toAmount } from './amount';
import type { Market } from './market';

const STABLE = new Set(['USDT', 'USDC', 'USD', 'DAI', 'FDUSD', 'BUSD', 'USDE']);

export function marketLink(market: Market): MarketLink {
  return {
    lastPrice: (category, symbol) => {
      const sym = market.instrument(category, symbol);
      return toAmount(sym.price(sym.last));
    },
    markPrice: (category, symbol) => {
      const sym = market.instrument(category, symbol);
      if (sym.deriv) return toAmount(sym.price(sym.deriv.mark(sym.mid)));
      if (sym.spec.option) return toAmount(market.optionModel(sym.spec).price.toFixed(8));
      return toAmount(sym.price(sym.last));
    },
    usdPrice: (coin) => {
      if (STABLE.has(coin)) return toAmount(1);
      const sym = market.symbol(`${coin}USDT`);
      return toAmount(sym.price(sym.last));
    },
  };
}
