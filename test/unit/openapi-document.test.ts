/**
 * openapi.yaml is a valid OpenAPI 3.1 document by an independent validator
 * (the official OpenAPI 3.1 JSON Schema, checked with Ajv), not only by the
 * tools that consume it.
 */
import { readFileSync } from "node:fs"
import { Validator } from "@seriousme/openapi-schema-validator"
import { describe, expect, it } from "vitest"

const contract = readFileSync(new URL("../../openapi.yaml", import.meta.url), "utf8")

describe("openapi.yaml", () => {
  it("is a valid OpenAPI 3.1 document by the official schema", async () => {
    const validator = new Validator()
    const result = await validator.validate(contract)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe("3.1")
  })

  it("the validator does reject a broken document (a response without a description)", async () => {
    const broken = contract.replace(/(\n {8}'200':\n {10})description: Success\.\n/, "$1")
    expect(broken).not.toBe(contract)
    const result = await new Validator().validate(broken)
    expect(result.valid).toBe(false)
  })
})
