/**
 * The HTTP layer under the generated request functions: one hey-api client
 * over one ky instance per MemoryLayer client, built once. ky's own retries
 * and timeout are off; the service owns both.
 *
 * @module
 */
import ky from "ky"
import * as Redacted from "effect/Redacted"
import { type Client, createClient, createConfig } from "../generated/api/client/index.ts"
import type { ResolvedOptions } from "./options.ts"

/**
 * Builds the request client for `options`. The API key stays redacted until
 * the moment a request's `Authorization` header is written.
 */
export const makeHttpClient = (options: ResolvedOptions): Client => {
  const { apiKey } = options
  return createClient(createConfig({
    baseUrl: options.baseUrl,
    ky: ky.create({
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch as typeof globalThis.fetch })
    }),
    retry: 0,
    timeout: false,
    ...(apiKey === undefined ? {} : { auth: () => Redacted.value(apiKey) })
  }))
}
