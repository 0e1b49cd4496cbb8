/** Reading a control route's JSON body: each helper names the field it refuses (HTTP 400). */
import type { Simulator } from './server';

export type Body = Record<string, unknown>;

export class BadRequest extends Error {}

export function str(body: Body, name: string, optional = false): string | undefined {
  const v = body[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v === '') throw new BadRequest(`${name} must be a non-empty string`);
  return v;
}

export function num(body: Body, name: string, optional = false): number | undefined {
  const v = body[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadRequest(`${name} must be a number`);
  return v;
}

/** An integer in [min, max]: the caps that keep one request from hanging or exhausting the simulator. */
export function int(body: Body, name: string, min: number, max: number, optional = false): number | undefined {
  const v = body[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new BadRequest(`${name} must be an integer from ${min} to ${max}`);
  }
  return v;
}

export function amount(body: Body, name: string, optional = false): string | number | undefined {
  const v = body[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new BadRequest(`${name} must be a decimal string or number`);
  return v;
}

export function bool(body: Body, name: string, optional = false): boolean | undefined {
  const v = body[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'boolean') throw new BadRequest(`${name} must be true or false`);
  return v;
}

/** One of the listed words, or undefined when optional and absent. */
export function oneOf<T extends string>(body: Body, name: string, words: readonly T[], optional = false): T | undefined {
  const v = body[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || !(words as readonly string[]).includes(v)) throw new BadRequest(`${name} must be one of ${words.join(', ')}`);
  return v as T;
}

/** A control route: POST unless its table key starts with "GET ". */
export type Handler = (sim: Simulator, body: Body, url: URL) => unknown | Promise<unknown>;

/** A nested JSON object field (e.g. a push route's `shape`); undefined when absent and optional. */
export function obj(body: Body, name: string, optional = false): Body | undefined {
  const v = body[name];
  if (v === undefined && optional) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new BadRequest(`${name} must be a JSON object`);
  return v as Body;
}
