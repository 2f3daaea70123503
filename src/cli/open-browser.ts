import { spawn } from 'node:child_process'
import type { Secrets } from '../core/secrets.js'
import { childEnvironment } from './child-env.js'

export type OpenResult = { opened: true; with: string } | { opened: false; why: string }

/** How long to wait for an opener to say it failed; one still running by then is taken as a browser. */
const SETTLE_MS = 3000

/**
 * The commands to try, in order: each entry of $BROWSER (colon-separated, `%s` for the URL, else the
 * URL is appended), then the platform's opener.
 */
export function openers(env: Record<string, string | undefined>, platform: NodeJS.Platform): string[][] {
  const fromEnv = (env.BROWSER ?? '')
    .split(platform === 'win32' ? ';' : ':')
    .map(entry => entry.trim().split(/\s+/).filter(Boolean))
    .filter(words => words.length > 0)
  const system =
    platform === 'darwin' ? ['open'] : platform === 'win32' ? ['rundll32', 'url.dll,FileProtocolHandler'] : ['xdg-open']
  return [...fromEnv, system]
}

function withUrl(words: string[], url: string): string[] {
  const placed = words.some(w => w.includes('%s'))
  const args = words.map(w => w.replace(/%s/g, url).replace(/%%/g, '%'))
  return placed ? args : [...args, url]
}

/** Runs one opener, never through a shell (the URL holds `&`), detached from this process. */
function tryOpener([command, ...args]: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise(resolve => {
    let child
    try {
      child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true, env })
    } catch (error) {
      resolve((error as Error).message)
      return
    }
    const timer = setTimeout(() => {
      child.unref()
      resolve(undefined)
    }, SETTLE_MS)
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve(error.code === 'ENOENT' ? 'not found' : (error.code ?? error.message))
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(code === 0 ? undefined : signal ? `ended by ${signal}` : `exit code ${code}`)
    })
  })
}

/**
 * Opens a URL in the default browser, which gets the environment without the sign-in secrets. Never
 * throws: where there is no browser (a server, a container) it says why, and the caller has printed
 * the link anyway.
 */
export async function openBrowser(
  url: string,
  env: Record<string, string | undefined>,
  secrets: Secrets,
  platform: NodeJS.Platform = process.platform
): Promise<OpenResult> {
  const failures: string[] = []
  const childEnv = childEnvironment(env, secrets)
  for (const words of openers(env, platform)) {
    const why = await tryOpener(withUrl(words, url), childEnv)
    if (why === undefined) return { opened: true, with: words[0] }
    failures.push(`${words[0]}: ${why}`)
  }
  return { opened: false, why: failures.join('; ') }
}
