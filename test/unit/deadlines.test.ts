import { describe, expect, it } from "vitest"
import { makeDeadlines } from "../../src/deadlines.ts"

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Timers that hold the process open (Node lists only those). */
const heldTimers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length

describe("the time limits of a client's attempts", () => {
  it("expires an attempt under the client's timeout once its time has passed, and not before", async () => {
    const deadlines = makeDeadlines(40)
    let expired = 0
    deadlines.start(40, () => expired++)
    await sleep(10)
    expect(expired).toBe(0)
    await sleep(60)
    expect(expired).toBe(1)
  })

  it("never expires an attempt that was settled, however many come and go around it", async () => {
    const deadlines = makeDeadlines(30)
    const expired: Array<number> = []
    const settles = Array.from({ length: 6 }, (_, i) => deadlines.start(30, () => expired.push(i)))
    // Settled out of order: the first, the fourth and the last; the others wait out their time.
    for (const i of [0, 3, 5]) settles[i]?.()
    await sleep(80)
    expect(expired).toEqual([1, 2, 4])
  })

  it("expires each waiting attempt at its own deadline when they started at different times", async () => {
    const deadlines = makeDeadlines(50)
    const expiredAt: Array<[string, number]> = []
    const t0 = performance.now()
    deadlines.start(50, () => expiredAt.push(["first", performance.now() - t0]))
    await sleep(30)
    deadlines.start(50, () => expiredAt.push(["second", performance.now() - t0]))
    await sleep(120)
    expect(expiredAt.map(([name]) => name)).toEqual(["first", "second"])
    const [first, second] = expiredAt.map(([, at]) => at) as [number, number]
    expect(first).toBeGreaterThanOrEqual(49)
    expect(second).toBeGreaterThanOrEqual(79)
    expect(second - first).toBeGreaterThanOrEqual(20)
  })

  it("gives an attempt with a timeout of its own a deadline of its own", async () => {
    const deadlines = makeDeadlines(10_000)
    let expired = false
    deadlines.start(20, () => (expired = true))
    await sleep(60)
    expect(expired).toBe(true)
  })

  it("holds the process open while an attempt waits, and no longer once every attempt is settled", async () => {
    const before = heldTimers()
    const deadlines = makeDeadlines(60_000)
    const first = deadlines.start(60_000, () => undefined)
    const second = deadlines.start(60_000, () => undefined)
    expect(heldTimers()).toBe(before + 1)
    first()
    expect(heldTimers()).toBe(before + 1)
    second()
    expect(heldTimers()).toBe(before)
    // A later attempt holds it again, on the same timer.
    const third = deadlines.start(60_000, () => undefined)
    expect(heldTimers()).toBe(before + 1)
    third()
    expect(heldTimers()).toBe(before)
  })

  it("settling twice, or after expiry, changes nothing", async () => {
    const deadlines = makeDeadlines(20)
    let expired = 0
    const settle = deadlines.start(20, () => expired++)
    await sleep(50)
    settle()
    settle()
    const next = deadlines.start(20, () => expired++)
    await sleep(50)
    expect(expired).toBe(2)
    next()
  })
})
