import { setFlagsFromString } from 'node:v8';
import type { Agent, Dispatcher, ProxyAgent } from 'undici';

/** The parts of undici a direct connection needs: the connection pool and its request call. */
export interface DirectTransport {
  readonly Agent: typeof Agent;
  request(dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

let direct: Promise<DirectTransport> | undefined;

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 starts it as baseline code and soon
 * recompiles the hot parser function with its optimising compiler: 22 MB of compiler memory and
 * ~200 ms of CPU (measured on a 200 MiB pull), for a parser that mostly skips over body bytes. A
 * tiering budget no download uses up keeps the baseline code: peak RSS of a 200 MiB download
 * 95 -> 76 MB, and less CPU. The budget is taken when the parser's instance is made (the first connection),
 * so it is raised before. WebAssembly compiled later in the process keeps it as well; the one
 * other user, Node's type stripper on a compile-cache miss, measured no slower.
 */
function keepBaselineWasm(): void {
  setFlagsFromString('--wasm-tiering-budget=2000000000');
}

let proxied: Promise<typeof ProxyAgent> | undefined;

/**
 * undici's entry point also loads fetch, WebSocket, caches and mocks: 12 MB of memory and ~60 ms
 * (measured) that a DB pull never uses. Direct connections load only the Agent and the request
 * call (undici >= 6 keeps both at these paths; the exact version is pinned and every transport test
 * goes through them). Loaded on the first request only: offline runs never pay for any of it.
 */
export function loadDirectTransport(): Promise<DirectTransport> {
  if (!direct) keepBaselineWasm();
  direct ??= Promise.all([
    import('undici/lib/dispatcher/agent.js' as string) as Promise<{ default: typeof Agent }>,
    import('undici/lib/api/api-request.js' as string) as Promise<{
      default: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
    }>,
  ]).then(([agent, api]) => ({
    Agent: agent.default,
    request: (dispatcher, options) => api.default.call(dispatcher, options),
  }));
  return direct;
}

/** The proxy agent needs undici whole: its tunnels call request methods the entry point installs. */
export function loadProxyAgent(): Promise<typeof ProxyAgent> {
  if (!proxied) keepBaselineWasm();
  proxied ??= import('undici').then((undici) => undici.ProxyAgent);
  return proxied;
}
