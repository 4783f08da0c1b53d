/**
 * Walking a paginated list page by page, against an in-process server that
 * pages like memorylayer-server 0.2.0.
 */
import { describe, expect, it } from "vitest"
import { MemoryLayerClient } from "../../src/index.ts"
import { skillExample } from "../support/fixtures.ts"

/** A skill named `name`, private to `user` when given. */
const skill = (id: string, name: string, user: string | null = null): Record<string, unknown> => ({ ...skillExample, id, name, user_id: user })

/**
 * `GET /v1/skills` as 0.2.0 answers it: the page is cut from every skill
 * first, then the skills a same-named one of higher precedence (user over
 * workspace) shadows in that page are dropped.
 */
const shadowingServer = (all: ReadonlyArray<Record<string, unknown>>, asked: Array<string>) => (request: Request): Response => {
  const url = new URL(request.url)
  asked.push(url.search)
  const offset = Number(url.searchParams.get("offset") ?? 0)
  const limit = Number(url.searchParams.get("limit") ?? 100)
  const page = all.slice(offset, offset + limit)
  const kept = page.filter((s) => s["user_id"] !== null || !page.some((o) => o !== s && o["name"] === s["name"] && o["user_id"] !== null))
  return Response.json({ skills: kept, total_count: kept.length })
}

describe("offset pages that end with an empty page (skills, MCP servers)", () => {
  it("the next page starts a whole page on, so an item the server moved up after shadowing is not listed twice", async () => {
    const all = [skill("skl_w", "pdf"), skill("skl_u", "pdf", "alice"), skill("skl_b", "csv"), skill("skl_c", "zip")]
    const asked: Array<string> = []
    const client = new MemoryLayerClient({ baseUrl: "http://skills.test", fetch: shadowingServer(all, asked) })
    const ids: Array<string> = []
    for await (const s of client.skills.list({ limit: 2 })) ids.push(s.id)
    await client.close()
    expect(ids).toEqual(["skl_u", "skl_b", "skl_c"])
    expect(asked).toEqual(["?limit=2", "?limit=2&offset=2", "?limit=2&offset=4"])
  })

  it("without a limit the pages step by the server's default page size", async () => {
    const all = Array.from({ length: 150 }, (_, i) => skill(`skl_${i}`, `s${i}`))
    const asked: Array<string> = []
    const client = new MemoryLayerClient({ baseUrl: "http://skills.test", fetch: shadowingServer(all, asked) })
    let count = 0
    for await (const _ of client.skills.list()) count++
    await client.close()
    expect(count).toBe(150)
    expect(asked).toEqual(["", "?offset=100", "?offset=200"])
  })
})
