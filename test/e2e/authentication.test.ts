/**
 * A wrong or insufficient credential, and an unknown id, give the documented
 * error class against the real server, through the Promise client and the
 * Effect service.
 *
 * memorylayer-server accepts any API key as it ships, so the 401 and 403 come
 * from the second server of the e2e setup, which runs its gateway (`aether`)
 * authentication: it trusts only the `X-Auth-*` headers its gateway adds. A
 * custom `fetch` that adds them stands in for the gateway.
 *
 * Server 0.2.0 answers the true status on few routes, so the tests use those:
 * - without the tenant header, only remember and the /v1/context routes answer
 *   401; every other route answers 500;
 * - with the tenant but no access level, remember, decay, getAssociations,
 *   getBriefing, the /v1/context routes and the workspace routes other than
 *   create answer 403;
 *   recall, reflect, batchMemories, associate, traceMemory, createSession and
 *   createWorkspace answer 500; getMemory, updateMemory, forget and the
 *   session routes look the id up first and answer 404 for an unknown one.
 */
import * as Effect from "effect/Effect"
import { inspect } from "node:util"
import { describe, expect, inject, it } from "vitest"
import { MemoryLayer } from "../../src/effect.ts"
import {
  AuthenticationError,
  AuthorizationError,
  type FetchLike,
  MemoryLayerClient,
  MemoryLayerError,
  NotFoundError
} from "../../src/index.ts"

const authUrl = inject("authMemorylayerUrl")
const openUrl = inject("memorylayerUrl")

/** Distinctive, so that finding it anywhere in an error is meaningful. */
const apiKey = `sk-e2e-${crypto.randomUUID()}`
const UNAUTHENTICATED = "Missing X-Auth-Tenant-ID header; request is unauthenticated"

/**
 * A fetch that adds what the authentication gateway would add after checking
 * the API key: the caller's tenant and, when given, its access level
 * (10 read, 20 read and write).
 */
const throughGateway = (accessLevel?: number): FetchLike => (request, init) => {
  const headers = new Headers(request.headers)
  headers.set("X-Auth-Tenant-ID", "e2e-tenant")
  if (accessLevel !== undefined) headers.set("X-Auth-Workspace-Access", String(accessLevel))
  return fetch(new Request(request, { headers }), init)
}

const failureOf = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error
  )

/** Asserts the class, status and server detail of an SDK error, and that the API key is nowhere in it. */
const expectError = <E extends MemoryLayerError>(
  error: unknown,
  errorClass: abstract new(...args: never) => E,
  statusCode: number,
  detail: string
): void => {
  expect(error).toBeInstanceOf(errorClass)
  expect(error).toMatchObject({ statusCode, detail })
  expect((error as E).message).toContain(detail)
  expect(inspect(error, { depth: 10 })).not.toContain(apiKey)
  expect(JSON.stringify(error)).not.toContain(apiKey)
}

describe("a server with authentication enabled, through the Promise client", () => {
  it("an API key without the gateway's credentials is an AuthenticationError 401 with the server's detail and no API key", async () => {
    const client = new MemoryLayerClient({ baseUrl: authUrl, apiKey })
    expectError(await failureOf(client.remember("refused before it is stored")), AuthenticationError, 401, UNAUTHENTICATED)
    const inSession = new MemoryLayerClient({ baseUrl: authUrl, apiKey, sessionId: "sess_e2e_unauthenticated" })
    expectError(await failureOf(inSession.contextStatus()), AuthenticationError, 401, UNAUTHENTICATED)
    await Promise.all([client.close(), inSession.close()])
  })

  it("the gateway's tenant without an access level is an AuthorizationError 403 naming the resource", async () => {
    const client = new MemoryLayerClient({ baseUrl: authUrl, apiKey, fetch: throughGateway() })
    expectError(await failureOf(client.remember("refused for lack of access")), AuthorizationError, 403, "Access denied to memories")
    expectError(await failureOf(client.getWorkspace("_default")), AuthorizationError, 403, "Access denied to workspaces")
    await client.close()
  })

  it("read access is still an AuthorizationError 403 for a write, and read-write access lets the same write through", async () => {
    const reader = new MemoryLayerClient({ baseUrl: authUrl, apiKey, fetch: throughGateway(10) })
    expectError(await failureOf(reader.remember("a reader may not store this")), AuthorizationError, 403, "Access denied to memories")
    await reader.close()

    const writer = new MemoryLayerClient({ baseUrl: authUrl, apiKey, fetch: throughGateway(20) })
    const content = `stored through the gateway ${crypto.randomUUID().slice(0, 8)}`
    expect(await writer.remember(content)).toMatchObject({ content, tenant_id: "e2e-tenant" })
    await writer.close()
  })
})

describe("a server with authentication enabled, through the Effect service", () => {
  const run = <A, E>(program: Effect.Effect<A, E, MemoryLayer>, fetch?: FetchLike): Promise<A> =>
    Effect.runPromise(program.pipe(Effect.provide(MemoryLayer.layer({ baseUrl: authUrl, apiKey, fetch }))))

  it("Effect.catchTag(\"AuthenticationError\") recovers from a call without the gateway's credentials", async () => {
    const recovered = await run(Effect.gen(function*() {
      const ml = yield* MemoryLayer
      return yield* ml.remember("refused before it is stored").pipe(
        Effect.as("stored"),
        Effect.catchTag("AuthenticationError", (error) => Effect.succeed(error))
      )
    }))
    expectError(recovered, AuthenticationError, 401, UNAUTHENTICATED)
  })

  it("Effect.catchTag(\"AuthorizationError\") recovers from a call with the gateway's tenant but no access level", async () => {
    const recovered = await run(
      Effect.gen(function*() {
        const ml = yield* MemoryLayer
        return yield* ml.remember("refused for lack of access").pipe(
          Effect.as("stored"),
          Effect.catchTag("AuthorizationError", (error) => Effect.succeed(error))
        )
      }),
      throughGateway()
    )
    expectError(recovered, AuthorizationError, 403, "Access denied to memories")
  })
})

describe("unknown ids on the open server", () => {
  const unknownSession = `sess_does_not_exist_${crypto.randomUUID().slice(0, 8)}`
  const unknownWorkspace = `ws-does-not-exist-${crypto.randomUUID().slice(0, 8)}`

  it("getSession, touchSession and commitSession of an unknown session are NotFoundError naming it", async () => {
    const client = new MemoryLayerClient({ baseUrl: openUrl, apiKey })
    // Calls start one at a time: a rejection created before it is awaited would be reported as unhandled.
    const calls = [() => client.getSession(unknownSession), () => client.touchSession(unknownSession), () => client.commitSession(unknownSession)]
    for (const call of calls) {
      const error = await failureOf(call())
      expect(error).toBeInstanceOf(NotFoundError)
      expect(error).toMatchObject({ statusCode: 404 })
      expect((error as NotFoundError).message).toContain(unknownSession)
    }
    await client.close()
  })

  it("getWorkspace of an unknown workspace is a NotFoundError naming it", async () => {
    const client = new MemoryLayerClient({ baseUrl: openUrl, apiKey })
    expectError(await failureOf(client.getWorkspace(unknownWorkspace)), NotFoundError, 404, `Workspace not found: ${unknownWorkspace}`)
    await client.close()
  })

  it("Effect.catchTag(\"NotFoundError\") recovers from getSession of an unknown session", async () => {
    const layer = MemoryLayer.layer({ baseUrl: openUrl, apiKey })
    const recovered = await Effect.runPromise(Effect.gen(function*() {
      const ml = yield* MemoryLayer
      return yield* ml.getSession(unknownSession).pipe(
        Effect.as("found"),
        Effect.catchTag("NotFoundError", (error) => Effect.succeed(error))
      )
    }).pipe(Effect.provide(layer)))
    expect(recovered).toBeInstanceOf(NotFoundError)
    expect((recovered as NotFoundError).message).toContain(unknownSession)
  })
})
