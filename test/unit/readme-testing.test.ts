/**
 * The README's examples of the test double are programs: each TypeScript
 * block that imports `memorylayer-client/testing` runs as written (its
 * assertions included), with the package's entry points resolved to this
 * repository's sources. The README's other blocks run against the real
 * server in the e2e tier (test/e2e/readme.test.ts).
 */
import { describe, expect, it } from "vitest"
import { readmeBlocks, runModule, usesTestDouble, withSources } from "../support/readme.ts"

describe("the README's examples of memorylayer-client/testing", () => {
  const examples = readmeBlocks().filter(usesTestDouble)

  it("has examples of both faces and of the shared server in its testing section", () => {
    const section = examples.filter((block) => block.section === "Testing your agent without a server")
    expect(section.map((block) => ["createTestClient", "layerTest", "createTestServer"].filter((name) => block.code.includes(name)).length > 0))
      .toEqual(section.map(() => true))
    expect(section.length).toBeGreaterThanOrEqual(3)
  })

  it.each(examples.map((block) => [block.name, block] as const))("%s runs as written and its assertions hold", async (_, block) => {
    await runModule("readme-testing", `line-${block.line}`, withSources(block.code))
  })
})
