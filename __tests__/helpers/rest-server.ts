/**
 * A REST server of a test's own, on loopback, for answers the emulator does not make (a 201 cut
 * mid-body, a Retry-After of -5, a page of millions of items): hostile or broken servers. The token
 * goes only to it. `env` is the exported session pointed at it.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RestServer {
  env: Record<string, string>
  /** When each request arrived (ms since the epoch). */
  hits: number[]
  close: () => Promise<void>
}

export async function restServer(handler: http.RequestListener, exported: Record<string, string>): Promise<RestServer> {
  const hits: number[] = []
  const srv = http.createServer((req, res) => {
    hits.push(Date.now())
    handler(req, res)
  })
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as AddressInfo
  return {
    env: { ...exported, DOCUSIGN_BASE_PATH: `http://127.0.0.1:${port}/restapi` },
    hits,
    close: async () => {
      srv.closeAllConnections()
      await new Promise<void>(resolve => srv.close(() => resolve()))
    }
  }
}
