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
  // The waiting attempts in the order they started, and so of their deadlines; settled ones leave from the front.
  const queue: Array<Entry> = []
  let timer: Holdable | undefined
  let holdable = true

  const drop = (): void => {
    while (queue[0]?.expire === undefined && queue.length > 0) queue.shift()
  }

  const arm = (delay: number): void => {
    const made: unknown = setTimeout(fire, Math.max(0, delay))
    holdable = isHoldable(made)
    if (!holdable) return clearTimeout(made as Parameters<typeof clearTimeout>[0])
    timer = made as Holdable
    if (queue.length === 0) timer.unref()
  }

  function fire(): void {
    timer = undefined
    const now = performance.now()
    for (let entry = queue[0]; entry !== undefined && entry.at <= now; entry = queue[0]) {
      queue.shift()
      entry.expire?.()
      entry.expire = undefined
      drop()
    }
    if (queue[0] !== undefined) arm(queue[0].at - now)
  }

  const start = (ms: number, expire: () => void): () => void => {
    if (ms !== shared || !holdable) return own(ms, expire)
    const entry: Entry = { at: performance.now() + ms, expire }
    queue.push(entry)
    if (timer === undefined) arm(ms)
    else if (queue.length === 1) timer.ref()
    // This runtime's timers cannot be unref'd (found just now): this attempt and every later one get their own.
    if (!holdable) {
      queue.pop()
      return own(ms, expire)
    }
    return () => {
      entry.expire = undefined
      drop()
      if (queue.length === 0) timer?.unref()
    }
  }

  return { start }
}
