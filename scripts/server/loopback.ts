/**
 * Loopback networking for the local servers: free ports and waiting for a
 * service to answer.
 */
import { createConnection, createServer } from "node:net"

/** The loopback address every local server and proxy binds to. */
export const LOOPBACK = "127.0.0.1"

/**
 * Asks the OS for a free TCP port on `host` by binding port 0 and releasing it
 * at once. Another process could take the port before the caller binds it, so
 * a caller that starts a server on it should retry on `EADDRINUSE`. Until
 * something binds it, the port also serves as an address that refuses
 * connections (a request to it is never sent).
 *
 * @example
 * ```ts
 * const port = await freePort()
 * const refused = `http://127.0.0.1:${port}` // nothing listens here
 * ```
 */
export const freePort = (host = LOOPBACK): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once("error", reject)
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address()
      server.close((error) => {
        if (error !== undefined) reject(error)
        else if (address === null || typeof address === "string") reject(new Error("freePort: the server has no TCP address"))
        else resolve(address.port)
      })
    })
  })

/**
 * Whether nothing listens on `port` of `host` right now (binding it succeeds).
 *
 * @example
 * ```ts
 * if (!(await isPortFree(port))) console.log(`${port} was taken in the meantime`)
 * ```
 */
export const isPortFree = (port: number, host = LOOPBACK): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once("error", () => resolve(false))
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)))
  })

/** Whether something accepts TCP connections on `port`. */
export const acceptsConnections = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port })
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })

/** What {@link waitUntil} needs to know. */
export interface WaitOptions {
  /** Names the service in error messages. */
  readonly what: string
  readonly timeoutMs: number
  /** Settles when the service's process has exited: waiting stops at once. */
  readonly exited: Promise<string>
  /** Appended to error messages (a log tail, say). */
  readonly context: () => string
}

/**
 * Polls `ready` every 200 ms until it is true. Fails when the timeout passes
 * or the process exits first, with `context()` in the message.
 */
export const waitUntil = async (ready: () => Promise<boolean>, options: WaitOptions): Promise<void> => {
  let exit: string | undefined
  void options.exited.then((how) => {
    exit = how
  })
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    if (await ready().catch(() => false)) return
    if (exit !== undefined) throw new Error(`${options.what} ${exit} before it was ready.\n${options.context()}`)
    if (Date.now() > deadline) {
      throw new Error(`${options.what} was not ready after ${options.timeoutMs / 1000} s.\n${options.context()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
