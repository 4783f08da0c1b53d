/**
 * Loopback networking for the e2e setup: free ports and waiting for a
 * service to answer.
 */
import { createConnection, createServer } from "node:net"

/** The loopback address every e2e service binds to. */
export const LOOPBACK = "127.0.0.1"

/** A TCP port on the loopback interface that nothing listens on right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, LOOPBACK, () => {
      const address = server.address()
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port)
        else reject(new Error("could not read the port of a loopback listener"))
      })
    })
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
