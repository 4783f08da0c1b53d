/**
 * Finding a loopback port nobody listens on.
 *
 * @module
 */
import { createServer } from "node:net"

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
export const freePort = (host = "127.0.0.1"): Promise<number> =>
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
export const isPortFree = (port: number, host = "127.0.0.1"): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once("error", () => resolve(false))
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)))
  })
