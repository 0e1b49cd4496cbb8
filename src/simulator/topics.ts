/** Request-level rules shared by the op/args dialects (V5 and spot v3). */

export const SYMBOL_RE = /^[A-Z0-9]{2,30}$/;
export const MAX_ARGS = 10;
/** v5/websocket/wss-authentication.mdx: the topics of one public connection stay within 21,000 characters. */
export const MAX_TOPIC_CHARS = 21_000;

/** Whether adding these topics would take a socket past MAX_TOPIC_CHARS (duplicates count once). */
export function exceedsTopicBudget(held: ReadonlySet<string>, adding: readonly string[]): boolean {
  let chars = 0;
  for (const t of held) chars += t.length;
  for (const t of new Set(adding)) if (!held.has(t)) chars += t.length;
  return chars > MAX_TOPIC_CHARS;
}

export const TOPIC_BUDGET_ERROR = `error:topics on one connection exceed ${MAX_TOPIC_CHARS} characters`;

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
  if (op === 'subscribe' && exceedsTopicBudget(topics, list)) return { error: TOPIC_BUDGET_ERROR, changed: [], already: [] };
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
