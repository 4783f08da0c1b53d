/**
 * Realistic answers for tests that play the server, taken from the examples
 * in openapi.yaml (which were captured from the real server).
 */
import { contract } from "./contract.ts"
import { objectOr } from "./openapi-document.ts"

const example = (name: string): Record<string, unknown> => {
  const value = objectOr(objectOr(objectOr(contract["components"])["schemas"])[name])["example"]
  if (typeof value !== "object" || value === null) throw new Error(`openapi.yaml has no example for ${name}`)
  return value as Record<string, unknown>
}

/** A memory as the server sends it. */
export const memoryExample = example("Memory")

/** The body of `remember`'s 201 answer. */
export const rememberAnswer = { memory: memoryExample, replayed: false }

/** The body of `getMemory`'s 200 answer. */
export const getMemoryAnswer = { memory: memoryExample }

/** The body of `recall`'s 200 answer. */
export const recallAnswer = example("RecallResult")

/** The body of `createSession`'s 201 answer. */
export const createSessionAnswer = { session: example("Session"), briefing: null }

/** An agent specification as the server sends it. */
export const agentSpecificationExample = example("AgentSpecification")

/** A skill as the server sends it. */
export const skillExample = example("Skill")
