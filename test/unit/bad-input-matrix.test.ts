/**
 * The bad-input matrix (test/support/bad-inputs.ts, generated from the
 * contract) through the Promise client: every case either rejects with a
 * `ValidationError` before anything is sent, or, where the contract allows
 * the value, is sent; none throws, and none rejects with anything but a
 * MemoryLayerError. A case the contract forbids is always refused, with 0
 * requests. Each method's valid call is sent first, so a refusal is the bad
 * value's doing.
 */
import { afterAll, describe, expect, it } from "vitest"
import type { MethodKey } from "../../generated/operations.gen.ts"
import { methodOf, methods } from "../support/tables.ts"
import { MemoryLayerClient, MemoryLayerError, ValidationError } from "../../src/index.ts"
import { badInputCases, fieldCount, validCall } from "../support/bad-inputs.ts"

const keys = Object.keys(methods) as Array<MethodKey>
const totals = { cases: 0, fields: 0, refused: 0, sent: 0, raw: 0, wrong: 0 }

/** Calls method `key` of `client`; a synchronous throw is returned as `{ thrown }`. */
const call = async (client: MemoryLayerClient, key: MethodKey, args: ReadonlyArray<unknown>): Promise<{ readonly error?: unknown; readonly thrown?: unknown }> => {
  let pending: Promise<unknown>
  try {
    pending = methodOf(client, key)(...args)
  } catch (thrown) {
    return { thrown }
  }
  return pending.then(() => ({}), (error: unknown) => ({ error }))
}

describe("bad-input matrix", () => {
  afterAll(() => {
    console.log(
      `bad-input matrix: ${totals.cases} cases over ${keys.length} methods and ${totals.fields} fields: ${totals.refused} refused with ValidationError and 0 requests, ` +
        `${totals.sent} allowed by the contract and sent, ${totals.raw} raw throws or untyped rejections, ${totals.wrong} forbidden values sent`
    )
  })

  it.each(keys)("%s", async (key) => {
    let requests = 0
    const client = new MemoryLayerClient({
      baseUrl: "http://memorylayer.test",
      sessionId: "sess_matrix",
      workspaceId: "ws_matrix",
      maxRetries: 0,
      fetch: () => {
        requests++
        return Response.json({ detail: "the matrix answers every request with 500" }, { status: 500 })
      }
    })
    const problems: Array<string> = []
    const valid = await call(client, key, validCall(key))
    if (valid.thrown !== undefined || valid.error instanceof ValidationError || requests === 0) {
      problems.push(`the valid call was not sent: ${String(valid.thrown ?? (valid.error as Error | undefined)?.message)}`)
    }
    totals.fields += fieldCount(key)
    for (const c of badInputCases(key)) {
      totals.cases++
      const before = requests
      const { error, thrown } = await call(client, key, c.args)
      const sent = requests - before
      if (thrown !== undefined || !(error instanceof MemoryLayerError)) {
        totals.raw++
        problems.push(`${c.label}: ${thrown !== undefined ? "threw" : "rejected with"} ${String(thrown ?? error)}`)
      } else if (error instanceof ValidationError && error.statusCode === undefined) {
        if (sent > 0) problems.push(`${c.label}: refused after ${sent} requests`)
        else totals.refused++
      } else if (c.verdict === "refuse") {
        totals.wrong++
        problems.push(`${c.label}: sent (${sent} requests, ${error._tag}) although the contract forbids it`)
      } else {
        totals.sent++
      }
    }
    await client.close()
    expect(problems).toEqual([])
  })
})
