/**
 * The time limits of one client's attempts on one timer.
 *
 * A timer per attempt (`setTimeout`, then `clearTimeout` when the answer
 * came) makes Node create, schedule and remove a timer list on every call:
 * measured against a loopback server, 6 to 10 µs of a 300 µs request. Most
 * attempts run under the client's own timeout, so their deadlines fall in the
 * order the attempts started: a queue, watched by one timer that stays armed
 * while the client is in use. The timer holds the process open only while an
 * attempt is waiting (`ref`/`unref`, which Node and Bun give their timers);
 * where timers have no `unref` (browsers, Deno, workerd), and for an attempt
 * with a timeout of its own, each attempt gets its own timer as before.
 *
 * @module
 */

/** One attempt waiting for its deadline; `expire` is dropped once it is settled. */
interface Entry {
  readonly at: number
  expire: (() => void) | undefined
}

/** A timer that can stop holding the process open, as Node's and Bun's can. */
interface Holdable {
  ref(): unknown
  unref(): unknown
}

const isHoldable = (timer: unknown): timer is Holdable =>
  typeof timer === "object" && timer !== null && typeof (timer as Partial<Holdable>).ref === "function" &&
  typeof (timer as Partial<Holdable>).unref === "function"

/** The time limits of one client's attempts. */
export interface Deadlines {
  /**
   * Calls `expire` after `ms` unless the returned function, which settles the
   * attempt, is called first.
   *
   * @example
   * ```ts
   * const deadlines = makeDeadlines(30_000)
   * const settle = deadlines.start(30_000, () => controller.abort())
   * await send(controller.signal)
   * settle()
   * ```
   */
  readonly start: (ms: number, expire: () => void) => () => void
}

/** A timer per attempt: where timers cannot be unref'd, and for attempts with a timeout of their own. */
const own = (ms: number, expire: () => void): () => void => {
  const timer = setTimeout(expire, ms)
  return () => clearTimeout(timer)
}

/** Deadlines for a client whose attempts mostly run under `shared` ms (its `timeout` option). */
export const makeDeadlines = (shared: number): Deadlines => {
  let queue: Array<Entry> = []
  let head = 0
  let waiting = 0
  let timer: Holdable | undefined
  let holdable = true

  /** Moves past the settled attempts at the head, and lets the array go once most of it is behind. */
  const advance = (): void => {
    while (head < queue.length && queue[head]?.expire === undefined) head++
    if (head === queue.length) {
      queue = []
      head = 0
    } else if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head)
      head = 0
    }
  }

  const arm = (delay: number): void => {
    const made: unknown = setTimeout(fire, Math.max(0, delay))
    if (!isHoldable(made)) {
      holdable = false
      clearTimeout(made as Parameters<typeof clearTimeout>[0])
      return
    }
    timer = made
    if (waiting === 0) made.unref()
  }

  function fire(): void {
    timer = undefined
    const now = performance.now()
    while (head < queue.length) {
      const entry = queue[head] as Entry
      const expire = entry.expire
      if (expire !== undefined) {
        if (entry.at > now) break
        entry.expire = undefined
        waiting--
        expire()
      }
      head++
    }
    advance()
    const next = queue[head]
    if (next !== undefined) arm(next.at - now)
  }

  const start = (ms: number, expire: () => void): () => void => {
    if (ms !== shared || !holdable) return own(ms, expire)
    const entry: Entry = { at: performance.now() + ms, expire }
    queue.push(entry)
    waiting++
    if (timer === undefined) {
      arm(ms)
      if (!holdable) {
        // This runtime's timers cannot be unref'd (found just now): this attempt and every later one get their own.
        queue.pop()
        waiting--
        return own(ms, expire)
      }
    } else if (waiting === 1) timer.ref()
    return () => {
      if (entry.expire === undefined) return
      entry.expire = undefined
      waiting--
      advance()
      if (waiting === 0) timer?.unref()
    }
  }

  return { start }
}
