/**
 * Bundle-time stand-in for two packages the action never calls (tsconfig "paths" points the bundler
 * here), so they cost neither bundle size nor start-up time:
 * - `undici`: @actions/http-client imports it only for getAgentDispatcher(), a proxy dispatcher for
 *   fetch(); bundling it doubled the bundle and added ~60 ms to every start.
 * - `@actions/exec`: @actions/core imports it only for platform.getDetails(); it pulls in
 *   child_process, dgram and @actions/io at start-up.
 */
function notBundled(what: string): never {
  throw new Error(`${what} is not bundled with this action`)
}

export class ProxyAgent {
  constructor() {
    notBundled('undici (getAgentDispatcher)')
  }
}

export function getExecOutput(): never {
  return notBundled('@actions/exec (platform.getDetails)')
}
