/** Picks the dialect module for a config node's `api` field. */
import type { ApiName, Dialect } from './types';
import { v5 } from './v5';

const DIALECTS: Partial<Record<ApiName, Dialect>> = { v5 };

export function getDialect(api: string): Dialect {
  const dialect = DIALECTS[api as ApiName];
  if (!dialect) throw new Error(`unknown api "${api}": expected one of ${Object.keys(DIALECTS).join(', ')}`);
  return dialect;
}

export * from './types';
