/**
 * What a method of `withResponse` gives: the value the method gives, with
 * the HTTP answer it came from.
 *
 * @module
 */

/**
 * A method's value with its answer: `client.withResponse.getMemory(id)`
 * (Promise) and `ml.withResponse.getMemory(id)` (Effect) give one.
 *
 * @example
 * ```ts
 * const { data: memory, response, requestId } = await client.withResponse.getMemory("mem_1")
 * response.status // 200
 * response.headers.get("content-type") // "application/json"
 * ```
 */
export interface WithResponse<A> {
  /** What the method itself gives. */
  readonly data: A
  /**
   * The server's answer: its `status` and `headers`. Its body has been read
   * into `data` (a download's stream excepted, which is `data` itself).
   */
  readonly response: Response
  /** The server's `X-Request-ID` answer header when it sent one, else the `X-Request-ID` the SDK sent. */
  readonly requestId: string | undefined
}
