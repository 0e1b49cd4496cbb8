/** Request-level rules shared by the op/args dialects (V5 and spot v3). */

export const SYMBOL_RE = /^[A-Z0-9]{2,30}$/;
export const MAX_ARGS = 10;
/**
 * Connect page, "Public channel - Args limits": one public connection cannot hold "args" longer
 * than 21,000 characters (counted here as the sum of the topic strings' lengths).
 */
export const PUBLIC_ARGS_CHARS = 21_000;
export const MAX_TOPIC_CHARS = PUBLIC_ARGS_CHARS;

export interface SubscribeLimits {
  /** args per request (spot 10; undefined: no limit) */
  maxArgs?: number;
  /** characters of topics one connection may hold */
  maxChars?: number;
  /** topics one connection may hold (option 2000) */
  maxTopics?: number;
}

/** The simulator's wording for an over-budget request (Bybit documents the limit, not the reply). */
export function budgetError(held: ReadonlySet<string>, adding: readonly string[], limits: SubscribeLimits): string | undefined {
  const fresh = [...new Set(adding)].filter((t) => !held.has(t));
  if (limits.maxTopics !== undefined && held.size + fresh.length > limits.maxTopics) {
    return `error:a connection holds at most ${limits.maxTopics} topics (would hold ${held.size + fresh.length})`;
  }
  if (limits.maxChars === undefined) return undefined;
  let chars = 0;
  for (const t of held) chars += t.length;
  for (const t of fresh) chars += t.length;
  if (chars <= limits.maxChars) return undefined;
  return limits.maxChars === MAX_TOPIC_CHARS ? TOPIC_BUDGET_ERROR : `error:topics on one connection exceed ${limits.maxChars} characters`;
}

/** Whether adding these topics would take a socket past MAX_TOPIC_CHARS (duplicates count once). */
export function exceedsTopicBudget(held: ReadonlySet<string>, adding: readonly string[]): boolean {
  return budgetError(held, adding, { maxChars: MAX_TOPIC_CHARS }) !== undefined;
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
 * must be an array of strings, at most `limits.maxArgs` (default 10); one unknown topic or a
 * request over the connection's budget fails the whole request; duplicates do not fail the
 * others. `valid` decides which topics exist.
 */
export function applySubscription(
  topics: Set<string>,
  op: 'subscribe' | 'unsubscribe',
  args: unknown,
  valid: (topic: string) => boolean,
  rejection: () => string | undefined,
  limits: SubscribeLimits = { maxArgs: MAX_ARGS },
): SubscribeOutcome {
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) {
    return { error: 'error:args must be an array of strings', changed: [], already: [] };
  }
  const list = args as string[];
  if (limits.maxArgs !== undefined && list.length > limits.maxArgs) return { error: `args size >${limits.maxArgs}`, changed: [], already: [] };
  const bad = list.find((t) => !valid(t));
  if (bad !== undefined) return { error: `error:handler not found,topic:${bad}`, changed: [], already: [] };
  if (op === 'subscribe') {
    const over = budgetError(topics, list, limits);
    if (over !== undefined) return { error: over, changed: [], already: [] };
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
