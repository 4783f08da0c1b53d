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
import { MemoryLayerClient } from "../../src/index.ts"
import { readmeBlocks, runModule, usesTestDouble, withSources } from "../support/readme.ts"

const baseUrl = inject("memorylayerUrl")
const serverUrl = inject("serverUrl")
/**
 * Where a block's requests go: the proxy, except for an upload that reports
 * progress. That one streams its body (chunked), which the server reads and
 * Prism's proxy cannot parse, so it goes to the server directly (the content
 * tests check the same request through the proxy without progress).
 */
const targetOf = (code: string): string => (code.includes("onUploadProgress") ? serverUrl : baseUrl)
const blocks = readmeBlocks().filter((block) => !usesTestDouble(block))
const VARIABLES = ["MEMORYLAYER_URL", "MEMORYLAYER_API_KEY", "MEMORYLAYER_WORKSPACE_ID"] as const
const saved = VARIABLES.map((name) => [name, process.env[name]] as const)

beforeAll(() => {
  process.env["MEMORYLAYER_URL"] = baseUrl
  process.env["MEMORYLAYER_API_KEY"] = "e2e-key"
})

afterAll(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

describe("the README's blocks against memorylayer-server", () => {
  it("include the quickstart on both faces", () => {
    expect(blocks.filter((block) => block.section.startsWith("Quickstart")).length).toBeGreaterThanOrEqual(2)
  })

  it.each(blocks.map((block) => [block.name, block] as const))("%s runs as written", async (_, block) => {
    // The workspace is made first: the server's auto-creation of a workspace races when the first calls into it are concurrent.
    const workspaceId = `ws_readme_${block.line}`
    const target = targetOf(block.code)
    const admin = new MemoryLayerClient({ baseUrl: target })
    await admin.createWorkspace(`README line ${block.line}`, { id: workspaceId })
    await admin.close()
    process.env["MEMORYLAYER_WORKSPACE_ID"] = workspaceId
    process.env["MEMORYLAYER_URL"] = target
    const code = withSources(block.code).replaceAll("http://localhost:61001", target)
    await runModule("readme-e2e", `line-${block.line}`, code)
  })
})
