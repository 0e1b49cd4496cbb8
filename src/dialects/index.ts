/** Picks the dialect module for a config node's `api` field. */
import type { ApiName, Dialect } from './types';
import { v5 } from './v5';
import { spotV3 } from './spot-v3';
import { spotV1 } from './spot-v1';

const DIALECTS: Record<ApiName, Dialect> = { v5, 'spot-v3': spotV3, 'spot-v1': spotV1 };

export function getDialect(api: string): Dialect {
  const dialect = Object.prototype.hasOwnProperty.call(DIALECTS, api) ? DIALECTS[api as ApiName] : undefined;
  if (!dialect) throw new Error(`unknown api "${api}": expected one of ${Object.keys(DIALECTS).join(', ')}`);
  return dialect;
}

export * from './types';
export * from './payloads';
