/**
 * Lists that come a page at a time: how the next page is asked for (an
 * offset or a cursor, as `x-sdk.paginate` says), and the two ways a caller
 * walks them: the Promise client's `PagePromise` (await it for one page,
 * `for await` it for every item) and the service's `Stream`s.
 *
 * @module
 */
import { optionsOf, optionTargets } from "./bind.ts"
import type { MethodRow, Paging } from "./rows.ts"

type Row = MethodRow

/** The option of `row` that fills query parameter `param` (`page_token` -> `pageToken`). */
const optionFor = (row: Row, param: string): string | undefined =>
  [...optionTargets(row)].find(([, target]) => target === `query.${param}`)?.[0]

/** A page walk over one call's arguments. */
export interface PageWalk {
  /** The arguments of the first page (the iterator's own filters left out). */
  readonly first: ReadonlyArray<unknown>
  /** The items of a page the caller gets (after the iterator's own filters). */
  readonly items: (page: unknown) => ReadonlyArray<unknown>
  /** The arguments of the page after `page`, or `undefined` when it was the last. */
  readonly next: (page: unknown, args: ReadonlyArray<unknown>) => ReadonlyArray<unknown> | undefined
}

/** Replaces the options object of `args` with `options`. */
const withOptions = (row: Row, args: ReadonlyArray<unknown>, options: Record<string, unknown>): ReadonlyArray<unknown> => {
  const out = args.slice(0, row.params.length)
  // A positional option is kept in the options object instead.
  out.push(options)
  return out
}

/** The current options of `args` as a plain object (a positional option folded in). */
const currentOptions = (row: Row, args: ReadonlyArray<unknown>): Record<string, unknown> => {
  const given = optionsOf(row, args)
  const options: Record<string, unknown> = typeof given === "object" && given !== null ? { ...given } : {}
  const next = args[row.params.length]
  if (row.positional !== undefined && next !== given && next !== undefined) options[row.positional] = next
  return options
}

/** The page walk of list method `row` called with `args`. */
export const pageWalk = (row: Row, args: ReadonlyArray<unknown>): PageWalk => {
  const paging = row.paginate as Paging
  const options = currentOptions(row, args)
  // Filters the server applies after cutting the page are applied here instead.
  const filters: Array<[string, unknown]> = []
  for (const param of paging.clientFilter) {
    const name = optionFor(row, param)
    if (name !== undefined && options[name] !== undefined) {
      filters.push([param, options[name]])
      delete options[name]
    }
  }
  const itemsOf = (page: unknown): ReadonlyArray<unknown> => {
    const all = ((page as Readonly<Record<string, unknown>>)[paging.items] ?? []) as ReadonlyArray<unknown>
    return filters.length === 0 ? all : all.filter((item) => filters.every(([key, value]) => (item as Readonly<Record<string, unknown>>)[key] === value))
  }
  const next = (page: unknown, current: ReadonlyArray<unknown>): ReadonlyArray<unknown> | undefined => {
    const answer = page as Readonly<Record<string, unknown>>
    const opts = currentOptions(row, current)
    if (paging.style === "cursor") {
      const token = answer[paging.next]
      const name = optionFor(row, paging.token)
      return typeof token === "string" && token !== "" && name !== undefined ? withOptions(row, current, { ...opts, [name]: token }) : undefined
    }
    const offsetName = optionFor(row, paging.offset)
    const limitName = optionFor(row, paging.limit)
    if (offsetName === undefined) return undefined
    const got = ((answer[paging.items] ?? []) as ReadonlyArray<unknown>).length
    const limit = limitName !== undefined && typeof opts[limitName] === "number" ? opts[limitName] : paging.limitDefault
    // A list that drops items after cutting the page (`empty-page`: shadowed duplicates) can answer fewer than it
    // skipped, so the next page starts a whole page further on, not after the items received.
    const step = paging.end === "empty-page" && limit !== undefined ? limit : got
    const offset = (typeof opts[offsetName] === "number" ? opts[offsetName] : 0) + step
    const last = paging.end === "empty-page"
      ? got === 0
      : paging.end === "total" && paging.total !== undefined && typeof answer[paging.total] === "number"
      ? offset >= (answer[paging.total] as number) || got === 0
      : got === 0 || (limit !== undefined && got < limit)
    return last ? undefined : withOptions(row, current, { ...opts, [offsetName]: offset })
  }
  return { first: withOptions(row, args, options), items: itemsOf, next }
}

/**
 * A page of a list, as the Promise client returns it: await it for the
 * first page (the answer as the server sends it), or iterate it with
 * `for await` for every item of every page, fetched as you go.
 *
 * @example
 * ```ts
 * const page = await client.listMemories({ limit: 100 }) // one page
 * for await (const memory of client.listMemories({ limit: 100 })) {
 *   console.log(memory.id) // every memory, page after page
 * }
 * ```
 */
export class PagePromise<Page, Item> implements PromiseLike<Page>, AsyncIterable<Item> {
  readonly #fetch: (args: ReadonlyArray<unknown>) => Promise<Page>
  readonly #walk: () => Promise<PageWalk>
  readonly #args: ReadonlyArray<unknown>
  #first: Promise<Page> | undefined

  /**
   * @param fetch - Fetches one page for the given arguments.
   * @param walk - How the next page is asked for (made once the method's row is loaded).
   * @param args - The arguments of the call as given (the awaited page is fetched with them).
   */
  constructor(fetch: (args: ReadonlyArray<unknown>) => Promise<Page>, walk: () => Promise<PageWalk>, args: ReadonlyArray<unknown>) {
    this.#fetch = fetch
    this.#walk = walk
    this.#args = args
  }

  /** The page the call asked for. */
  then<A = Page, B = never>(
    onfulfilled?: ((value: Page) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null
  ): Promise<A | B> {
    this.#first ??= this.#fetch(this.#args)
    return this.#first.then(onfulfilled, onrejected)
  }

  /** Every item of every page, from the page the call asked for on. */
  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    const walk = await this.#walk()
    let args: ReadonlyArray<unknown> | undefined = walk.first
    while (args !== undefined) {
      const page: Page = await this.#fetch(args)
      yield* walk.items(page) as ReadonlyArray<Item>
      args = walk.next(page, args)
    }
  }
}
