/**
 * Every TypeScript block of the README that needs a server runs as written
 * against the real memorylayer-server (through the contract-checking proxy):
 * the URL the README uses, `http://localhost:61001`, and `MEMORYLAYER_URL`
 * both point at it, and the package's entry points at this repository's
 * sources. A block fails the test when it throws, including its own
 * assertions. The blocks of the test double run in the unit tier
 * (test/unit/readme-testing.test.ts).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { readmeBlocks, runModule, usesTestDouble, withSources } from "../support/readme.ts"

const baseUrl = inject("memorylayerUrl")
const blocks = readmeBlocks().filter((block) => !usesTestDouble(block))
const saved = { url: process.env["MEMORYLAYER_URL"], key: process.env["MEMORYLAYER_API_KEY"] }

beforeAll(() => {
  process.env["MEMORYLAYER_URL"] = baseUrl
  process.env["MEMORYLAYER_API_KEY"] = "e2e-key"
})

afterAll(() => {
  for (const [name, value] of [["MEMORYLAYER_URL", saved.url], ["MEMORYLAYER_API_KEY", saved.key]] as const) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

describe("the README's blocks against memorylayer-server", () => {
  it("include the quickstart on both faces", () => {
    expect(blocks.filter((block) => block.section.startsWith("Quickstart")).length).toBeGreaterThanOrEqual(2)
  })

  it.each(blocks.map((block) => [block.name, block] as const))("%s runs as written", async (_, block) => {
    const code = withSources(block.code).replaceAll("http://localhost:61001", baseUrl)
    await runModule("readme-e2e", `line-${block.line}`, code)
  })
})
