/**
 * A forward proxy on loopback that speaks CONNECT, as corporate proxies do, and resolves a few
 * made-up host names to loopback ports: the only way those names reach anything.
 */
import type http from 'node:http'
import net from 'node:net'
import { closeServer, listen } from './server.js'

export class ConnectProxy {
  /** Every CONNECT target asked for, as host:port. */
  readonly tunnels: string[] = []
  /** The Proxy-Authorization header of each CONNECT (undefined where none came), as a logging proxy sees it. */
  readonly authorizations: (string | undefined)[] = []
  private readonly sockets = new Set<net.Socket>()

  private constructor(
    private readonly server: http.Server,
    readonly url: string
  ) {}

  /** `hosts` maps a host name the proxy resolves to a port on 127.0.0.1 (reached as that port or 443). */
  static async start(hosts: Record<string, number>): Promise<ConnectProxy> {
    const { server, port } = await listen()
    server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.writeHead(405)
      res.end()
    })
    const proxy = new ConnectProxy(server, `http://127.0.0.1:${port}`)
    server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const target = req.url ?? ''
      proxy.tunnels.push(target)
      proxy.authorizations.push(req.headers['proxy-authorization'])
      const [host, port] = target.split(':')
      // A name is served on its emulator's port, and on 443 as the real host would be.
      const known = Object.hasOwn(hosts, host) && (hosts[host] === Number(port) || port === '443')
      const upstream = known ? net.connect(hosts[host], '127.0.0.1') : undefined
      if (!upstream) {
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
        return
      }
      for (const socket of [client, upstream]) {
        proxy.sockets.add(socket)
        socket.on('close', () => proxy.sockets.delete(socket))
      }
      upstream.on('connect', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    return proxy
  }

  async close(): Promise<void> {
    this.sockets.forEach(s => s.destroy())
    await closeServer(this.server)
  }
}
