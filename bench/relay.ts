/**
 * A slow link for the benchmark: a TCP relay on loopback that holds every chunk for `delayMs` in each
 * direction (25 ms each way is a 50 ms round trip, a runner far from DocuSign's data centre), keeping
 * order. It counts connections, so a benchmark can show how many a client opened.
 */
import net from 'node:net'

export class SlowLink {
  connections = 0

  private constructor(
    private readonly server: net.Server,
    readonly port: number
  ) {}

  static async start(targetPort: number, delayMs: number): Promise<SlowLink> {
    const sockets = new Set<net.Socket>()
    const server = net.createServer(client => {
      link.connections++
      const upstream = net.connect(targetPort, '127.0.0.1')
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => undefined)
      }
      const delayed = (from: net.Socket, to: net.Socket) => {
        from.on('data', chunk => setTimeout(() => to.destroyed || to.write(chunk), delayMs))
        from.on('end', () => setTimeout(() => to.end(), delayMs))
      }
      delayed(client, upstream)
      delayed(upstream, client)
    })
    server.on('close', () => sockets.forEach(s => s.destroy()))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const link = new SlowLink(server, (server.address() as net.AddressInfo).port)
    link.close = async () => {
      sockets.forEach(s => s.destroy())
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
    return link
  }

  close: () => Promise<void> = async () => undefined
}
