import pkg from '../../package.json' with { type: 'json' }
import type { Topic } from './errors.js'

type Env = Record<string, string | undefined>

/** The repository package.json names, as https://host/owner/name. */
function packageRepository(): string {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository.url
  return url.replace(/^git\+/, '').replace(/\.git$/, '')
}

/**
 * The link to a failure's entry in docs/troubleshooting.md. In a `uses:` step the runner names the
 * action's repository and ref (GITHUB_ACTION_REPOSITORY, GITHUB_ACTION_REF), so the link opens the
 * docs of the version that ran; elsewhere (the CLI, a local `uses: ./`) the package's repository at
 * its version's tag.
 */
export function troubleshootingUrl(topic: Topic, env: Env = {}): string {
  const { GITHUB_SERVER_URL: server, GITHUB_ACTION_REPOSITORY: repo, GITHUB_ACTION_REF: ref } = env
  const base =
    server && repo && ref && /^https?:\/\//.test(server)
      ? `${server.replace(/\/+$/, '')}/${repo}/blob/${encodeURI(ref)}`
      : `${packageRepository()}/blob/v${pkg.version}`
  return `${base}/docs/troubleshooting.md#${topic}`
}

/** The line every door adds to a failure message. */
export function troubleshootingLine(topic: Topic, env: Env = {}): string {
  return `Troubleshooting: ${troubleshootingUrl(topic, env)}`
}
