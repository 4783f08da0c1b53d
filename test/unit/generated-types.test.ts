/**
 * The documented interfaces of types.gen.ts describe exactly what the
 * generated Schemas decode: for every object of the API, each type is
 * assignable to the other. Checked by `npm run typecheck`.
 */
import { describe, expectTypeOf, it } from "vitest"
import type * as Schemas from "../../generated/schemas.gen.ts"
import type { Components, DocumentsUploadOptions } from "../../generated/types.gen.ts"
import type { UploadProgress } from "../../src/upload.ts"

type SchemaType<K extends keyof Components> = K extends keyof typeof Schemas ? ((typeof Schemas)[K] extends { readonly Type: infer T } ? T : never) : never
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
/** The names whose interface and Schema type differ. */
type Mismatches = { [K in keyof Components]: Same<SchemaType<K>, Components[K]> extends true ? never : K }[keyof Components]

describe("generated types", () => {
  it("each documented interface is the type its Schema decodes, for every object of the API", () => {
    expectTypeOf<Mismatches>().toEqualTypeOf<never>()
  })

  it("a callback option takes a function whatever it returns, as `(p) => reports.push(p)` does", () => {
    expectTypeOf<(progress: UploadProgress) => number>().toExtend<DocumentsUploadOptions["onUploadProgress"]>()
  })
})
