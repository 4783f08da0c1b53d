import { readFileSync } from "node:fs"
import { MemoryLayerClient } from "memorylayer-client"
import ky from "ky"
const remember = readFileSync("bench/fixtures/remember-answer.json")
const recall = readFileSync("bench/fixtures/recall-answer.json")
const handler = async (request: Request) => { await request.text(); return new Response(request.url.endsWith("/recall") ? recall : remember, { status: request.url.endsWith("/recall") ? 200 : 201, headers: { "content-type": "application/json" } }) }
const c = new MemoryLayerClient({ baseUrl: "http://x", apiKey: "k", fetch: handler })
const k = ky.create({ prefix: "http://x", retry: 0, timeout: false, fetch: handler as typeof fetch })
const which = process.argv[2] ?? "remember"
const N = 20000
const time = async (name: string, f: () => Promise<unknown>) => { for (let i = 0; i < 2000; i++) await f(); const t = process.cpuUsage(); for (let i = 0; i < N; i++) await f(); const u = process.cpuUsage(t); console.log(name, ((u.user + u.system) / N).toFixed(1), "µs cpu") }
const raw = async () => JSON.parse(await (await handler(new Request("http://x/v1/memories", { method: "POST", headers: { authorization: "Bearer k", "content-type": "application/json" }, body: JSON.stringify({ content: "x y z", type: "procedural", importance: 0.8, tags: ["a"] }) }))).text())
if (which === "all") {
  await time("raw handler", raw)
  await time("ky", () => k.post("v1/memories", { json: { content: "x y z", type: "procedural", importance: 0.8, tags: ["a"] } }).json())
  await time("sdk", () => c.remember("x y z", { type: "procedural", importance: 0.8, tags: ["a"] }))
} else {
  for (let i = 0; i < N; i++) await c.remember("x y z", { type: "procedural", importance: 0.8, tags: ["a"] })
}
if (which === "layers") {
  const { createClient, createConfig } = await import("../generated/api/client/index.ts")
  const sdk = await import("../generated/api/sdk.gen.ts")
  const { ops } = await import("../generated/ops.gen.ts")
  const client = createClient(createConfig({ baseUrl: "http://x", ky: ky.create({ retry: 0, timeout: false, throwHttpErrors: false, fetch: handler as typeof fetch }), retry: 0, timeout: false, auth: () => "k" }))
  const body = { content: "x y z", type: "procedural", importance: 0.8, tags: ["a"] }
  await time("hey-api sdk.remember", () => sdk.remember({ client, body: body as never, headers: {}, signal: new AbortController().signal }))
  await time("hey-api sdk.remember no signal", () => sdk.remember({ client, body: body as never, headers: {} }))
  await time("check input", async () => ops.remember.input({ body }))
  const data = JSON.parse(remember.toString())
  await time("check output", async () => ops.remember.output(data))
  const Effect = await import("effect/Effect")
  await time("Effect.runPromise(succeed)", () => Effect.runPromise(Effect.succeed(1)))
  await time("Effect.runPromise(tryPromise)", () => Effect.runPromise(Effect.tryPromise({ try: () => Promise.resolve(1), catch: () => 1 })))
  await time("Effect tryPromise+timeoutOrElse", () => Effect.runPromise(Effect.tryPromise({ try: () => Promise.resolve(1), catch: () => 1 }).pipe(Effect.timeoutOrElse({ duration: 30000, orElse: () => Effect.fail(2) }))))
}
if (which === "layers2") {
  const { makeHttpClient } = await import("../src/transport.ts")
  const { resolveOptions } = await import("../src/options.ts")
  const sdk = await import("../generated/api/sdk.gen.ts")
  const http = makeHttpClient(resolveOptions({ baseUrl: "http://x", apiKey: "k", fetch: handler }))
  const body = { content: "x y z", type: "procedural", importance: 0.8, tags: ["a"] }
  await time("ky", () => k.post("v1/memories", { json: body }).json())
  await time("transport.post", () => http.post({ url: "/v1/memories", body, headers: { "Content-Type": "application/json" }, security: [] }))
  await time("transport.post+signal", () => http.post({ url: "/v1/memories", body, headers: { "Content-Type": "application/json" }, security: [], signal: new AbortController().signal }))
  await time("sdk.remember", () => sdk.remember({ client: http as never, body: body as never, headers: {} }))
  const Effect = await import("effect/Effect")
  const { MemoryLayer } = await import("../src/MemoryLayer.ts")
  const ML = await Effect.runPromise(Effect.service(MemoryLayer).pipe(Effect.provide(MemoryLayer.layer({ baseUrl: "http://x", apiKey: "k", fetch: handler }))))
  await time("service via Effect.runPromise", () => Effect.runPromise(ML.remember("x y z", { type: "procedural", importance: 0.8, tags: ["a"] })))
  await time("facade", () => c.remember("x y z", { type: "procedural", importance: 0.8, tags: ["a"] }))
}

await c.close()
