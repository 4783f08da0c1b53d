/**
 * npm start without a Python to run the real server: the quickstart runs
 * against a Prism mock, and every line it prints says so.
 */
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { MOCK_PREFIX, runQuickstart } from "../../scripts/quickstart-runner.ts"
import { isPortFree } from "../../scripts/server/loopback.ts"

const root = resolve(import.meta.dirname, "..", "..")

describe("npm start against the mock", () => {
  it("marks every line it prints as the mock's, runs the whole quickstart, and stops the mock", async () => {
    const chunks: Array<string> = []
    await runQuickstart({ kind: "mock", reason: "no Python was found" }, root, { write: (text) => void chunks.push(text) })

    const lines = chunks.join("").trimEnd().split("\n")
    expect(lines.filter((line) => !line.startsWith(MOCK_PREFIX))).toEqual([])
    expect(lines[0]).toBe(`${MOCK_PREFIX}MEMORYLAYER_URL is not set and no Python was found.`)
    for (const step of ["remember ->", "associate ->", "recall ->", "session ->", "getMemory(unknown) ->", "effect ->"]) {
      expect(lines.some((line) => line.startsWith(`${MOCK_PREFIX}${step}`))).toBe(true)
    }
    expect(lines.at(-1)).toBe(`${MOCK_PREFIX}Stopped the mock`)

    const mockUrl = lines.map((line) => /against the mock at (http:\S+)/.exec(line)?.[1]).find((url) => url !== undefined)
    expect(mockUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await isPortFree(Number(new URL(String(mockUrl)).port))).toBe(true)
  })
})
