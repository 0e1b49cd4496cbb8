/** Request-level rules shared by the op/args dialects (V5 and spot v3). */

export const SYMBOL_RE = /^[A-Z0-9]{2,30}$/;
export const MAX_ARGS = 10;

export interface SubscribeOutcome {
  /** whole-request failure reason; nothing was changed */
  error?: string;
  /** topics newly added (subscribe) or removed (unsubscribe) */
  changed: string[];
  /** topics the socket already held (subscribe only) */
  already: string[];
}

/**
 * Applies a subscribe or unsubscribe to a socket's topic set with Bybit's rules: the args
 * must be an array of strings, at most 10; one unknown topic fails the whole request;
 * duplicates do not fail the others. `valid` decides which topics exist.
 */
export function applySubscription(
  topics: Set<string>,
  op: 'subscribe' | 'unsubscribe',
  args: unknown,
  valid: (topic: string) => boolean,
  rejection: () => string | undefined,
): SubscribeOutcome {
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) {
    return { error: 'error:args must be an array of strings', changed: [], already: [] };
  }
  const list = args as string[];
  if (list.length > MAX_ARGS) return { error: `args size >${MAX_ARGS}`, changed: [], already: [] };
  const bad = list.find((t) => !valid(t));
  if (bad !== undefined) return { error: `error:handler not found,topic:${bad}`, changed: [], already: [] };
  if (op === 'subscribe') {
    // Injected failures only hit requests that would otherwise have succeeded.
    const injected = rejection();
    if (injected !== undefined) return { error: injected, changed: [], already: [] };
  }
  const changed: string[] = [];
  const already: string[] = [];
  for (const topic of list) {
    if (op === 'subscribe') {
      if (topics.has(topic)) already.push(topic);
      else {
        topics.add(topic);
        changed.push(topic);
      }
    } else if (topics.delete(topic)) {
      changed.push(topic);
    }
  }
  return { changed, already };
}
