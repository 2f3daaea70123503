/**
 * Bundle-time stand-in for two packages the action never calls (tsconfig "paths" points the bundler
 * here), so they cost neither bundle size nor start-up time:
 * - `undici`: @actions/http-client imports its ProxyAgent only for getAgentDispatcher(), a proxy
 *   dispatcher for fetch(), and @actions/github its fetch for Octokit's default. The action gives
 *   Octokit a fetch built on @actions/http-client instead (src/action/notify/github-fetch.ts), which
 *   brings proxy support and a time limit; bundling undici doubled the bundle and added ~60 ms to
 *   every start. @actions/github builds its (unused) default dispatcher when it loads, so the
 *   ProxyAgent here constructs, inert; using undici's fetch throws.
 * - `@actions/exec`: @actions/core imports it only for platform.getDetails(); it pulls in
 *   child_process, dgram and @actions/io at start-up.
 */
function notBundled(what: string): never {
  throw new Error(`${what} is not bundled with this action`)
}

/** Built, never used: nothing here sends a request through undici. */
export class ProxyAgent {}

export function fetch(): never {
  return notBundled('undici (fetch)')
}

export function getExecOutput(): never {
  return notBundled('@actions/exec (platform.getDetails)')
}
