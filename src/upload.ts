/**
 * Uploads: a file given as a Blob, File, ReadableStream or bytes, sent as
 * one part of a multipart form beside the operation's other fields.
 *
 * @module
 */

/**
 * What an upload accepts as the file: a `Blob` or `File` (its name is the
 * default filename), a `ReadableStream` of bytes, or the bytes themselves.
 *
 * @example
 * ```ts
 * await client.documents.upload(new File(["# Runbook\n..."], "runbook.md", { type: "text/markdown" }))
 * await client.documents.upload(new TextEncoder().encode("plain notes"), "notes.txt")
 * ```
 */
export type UploadSource = Blob | ReadableStream<Uint8Array> | Uint8Array | ArrayBuffer

/** How far an upload has got, as `onUploadProgress` reports it. */
export interface UploadProgress {
  /** 0 to 1. */
  readonly percent: number
  /** Bytes sent so far. */
  readonly transferredBytes: number
  /** 0 when the size is not known in advance. */
  readonly totalBytes: number
}

/** Whether `value` can be uploaded. */
export const isUploadSource = (value: unknown): value is UploadSource =>
  value instanceof Blob || value instanceof Uint8Array || value instanceof ArrayBuffer ||
  (typeof ReadableStream !== "undefined" && value instanceof ReadableStream)

/** The file as a `Blob` with its media type (a stream is read to its end: multipart needs the whole part). */
const asBlob = async (source: UploadSource): Promise<Blob> => {
  if (source instanceof Blob) return source
  if (source instanceof ReadableStream) return new Response(source).blob()
  return new Blob([source as BlobPart])
}

/**
 * The multipart form of an upload: the file part (named `part`, with
 * `filename`: the given one, else the File's own name, else "upload") and
 * each other field as a text part (JSON for objects).
 */
export const toFormData = async (
  fields: Readonly<Record<string, unknown>> | undefined,
  part: string,
  file: UploadSource,
  filename: string | undefined
): Promise<FormData> => {
  const form = new FormData()
  const blob = await asBlob(file)
  const name = filename ?? (typeof File !== "undefined" && file instanceof File && file.name !== "" ? file.name : "upload")
  form.append(part, blob, name)
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined || value === null) continue
    form.append(key, typeof value === "object" ? JSON.stringify(value) : String(value))
  }
  return form
}
