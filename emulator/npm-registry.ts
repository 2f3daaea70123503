/**
 * A local npm registry serving packed tarballs, so that a job installs a package exactly as from the
 * registry: `npm install NAME@VERSION` with `npm_config_registry` pointing here fetches the packument
 * and the tarball over real HTTP on loopback, and npm checks the tarball against the packument's
 * `dist.integrity` before installing it.
 *
 * Shapes as the public registry serves them (npm/registry, docs/REGISTRY-API.md and
 * docs/responses/package-metadata.md): the packument at `/NAME` with `dist-tags` and `versions`,
 * each version its package.json plus `_id` and `dist` (`tarball` URL, `shasum` the SHA-1 in hex,
 * `integrity` the SRI sha512); the tarball at `/NAME/-/NAME-VERSION.tgz`. Anything else: 404 with
 * the registry's `{"error":"Not found"}`.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { basename } from 'node:path'
import { closeServer, listen } from './server.js'

interface Packed {
  manifest: Record<string, unknown> & { name: string; version: string }
  bytes: Buffer
}

/** The package.json inside an npm tarball (npm packs every file under `package/`). */
function manifestOf(tarball: string): Packed['manifest'] {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })
  ) as Packed['manifest']
}

export class NpmRegistryEmulator {
  /** Each request's method and path, in order. */
  readonly requests: { method: string; path: string }[] = []
  private readonly packages = new Map<string, Packed[]>()

  private constructor(
    private readonly server: Server,
    readonly url: string
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.respond(req, res))
  }

  /** Serves the given tarballs (from `npm pack`), the last version of each package as `latest`. */
  static async start(tarballs: string[]): Promise<NpmRegistryEmulator> {
    const { server, port } = await listen()
    const registry = new NpmRegistryEmulator(server, `http://127.0.0.1:${port}`)
    for (const tarball of tarballs) {
      const packed = { manifest: manifestOf(tarball), bytes: readFileSync(tarball) }
      registry.packages.set(packed.manifest.name, [...(registry.packages.get(packed.manifest.name) ?? []), packed])
    }
    return registry
  }

  /** The path of a version's tarball, as the registry names it (`basename` of a scoped name). */
  static tarballPath(name: string, version: string): string {
    return `/${name}/-/${basename(name)}-${version}.tgz`
  }

  async close(): Promise<void> {
    await closeServer(this.server)
  }

  private packument(name: string, versions: Packed[]): Record<string, unknown> {
    return {
      _id: name,
      name,
      'dist-tags': { latest: versions.at(-1)!.manifest.version },
      versions: Object.fromEntries(
        versions.map(({ manifest, bytes }) => [
          manifest.version,
          {
            ...manifest,
            _id: `${name}@${manifest.version}`,
            dist: {
              tarball: this.url + NpmRegistryEmulator.tarballPath(name, manifest.version),
              shasum: createHash('sha1').update(bytes).digest('hex'),
              integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`
            }
          }
        ])
      )
    }
  }

  private respond(req: IncomingMessage, res: ServerResponse): void {
    const path = decodeURIComponent(new URL(req.url ?? '/', this.url).pathname)
    this.requests.push({ method: req.method ?? 'GET', path })
    for (const [name, versions] of this.packages) {
      if (path === `/${name}`) {
        res.writeHead(200, { 'Content-Type': 'application/json' })
        return void res.end(JSON.stringify(this.packument(name, versions)))
      }
      const packed = versions.find(v => path === NpmRegistryEmulator.tarballPath(name, v.manifest.version))
      if (packed) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': packed.bytes.length })
        return void res.end(packed.bytes)
      }
    }
    res.writeHead(404, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ error: 'Not found' }))
  }
}
