/**
 * Bundle-time stand-in for `undici` (tsconfig "paths" points the bundler here). @actions/http-client
 * imports undici only for getAgentDispatcher(), a proxy dispatcher for fetch() that this action never
 * calls; bundling the real one doubled the bundle and added ~60 ms to every start-up.
 */
export class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled with this action: getAgentDispatcher() is not supported')
  }
}
