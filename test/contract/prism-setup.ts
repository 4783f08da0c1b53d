/**
 * Global setup of the contract tests: a Prism mock of openapi.yaml on a free
 * loopback port, with request validation (always on in mock mode), responses
 * taken from the contract's examples (`--dynamic=false`) and violations turned
 * into error answers (`--errors`). Tests read its URL with `inject("prismUrl")`.
 */
import { fileURLToPath } from "node:url"
import type { TestProject } from "vitest/node"
import { startPrism } from "../../scripts/prism.ts"

declare module "vitest" {
  interface ProvidedContext {
    /** Base URL of the Prism mock, without a trailing slash. */
    prismUrl: string
  }
}

const contract = fileURLToPath(new URL("../../openapi.yaml", import.meta.url))

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prism = await startPrism("mock", [contract, "--errors", "--dynamic=false", "--verboseLevel=warn"])
  project.provide("prismUrl", prism.url)
  return () => prism.stop()
}
