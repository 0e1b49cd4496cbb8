/** proxy-from-env ships no types; this is the one function we use. */
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from the environment's *_proxy / no_proxy variables, or ''. */
  export function getProxyForUrl(url: string): string;
}
