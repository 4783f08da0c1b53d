/**
 * Readers of the archives the server sends (a skill bundle as tar.gz, the
 * knowledge-base vault as ZIP), written from the formats' specifications so
 * tests can look inside a download without a dependency.
 */
import { gunzipSync, inflateRawSync } from "node:zlib"

/** Every byte of a stream. */
export const bytesOf = async (stream: ReadableStream<Uint8Array>): Promise<Uint8Array> => new Uint8Array(await new Response(stream).arrayBuffer())

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

/** The regular files of a gzip-compressed tar archive, by name (each a Uint8Array of its own). */
export const tarGzEntries = (archive: Uint8Array): Map<string, Uint8Array> => {
  const tar = gunzipSync(archive)
  const entries = new Map<string, Uint8Array>()
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512)
    if (header.every((b) => b === 0)) break
    const name = text(header.subarray(0, 100)).replace(/\0.*$/s, "")
    const prefix = text(header.subarray(345, 500)).replace(/\0.*$/s, "")
    const size = Number.parseInt(text(header.subarray(124, 136)).replace(/\0.*$/s, "").trim() || "0", 8)
    const type = String.fromCharCode(header[156] ?? 0)
    if (type === "0" || type === "\0") entries.set(prefix === "" ? name : `${prefix}/${name}`, new Uint8Array(tar.subarray(at + 512, at + 512 + size)))
    at += 512 + Math.ceil(size / 512) * 512
  }
  return entries
}

/** The files of a ZIP archive, by name, read through its central directory (each a Uint8Array of its own). */
export const zipEntries = (archive: Uint8Array): Map<string, Uint8Array> => {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength)
  let end = archive.length - 22
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--
  if (end < 0) throw new Error("not a ZIP archive: no end of central directory")
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  const entries = new Map<string, Uint8Array>()
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error("broken ZIP central directory")
    const method = view.getUint16(at + 10, true)
    const compressed = view.getUint32(at + 20, true)
    const nameLength = view.getUint16(at + 28, true)
    const extraLength = view.getUint16(at + 30, true)
    const commentLength = view.getUint16(at + 32, true)
    const local = view.getUint32(at + 42, true)
    const name = text(archive.subarray(at + 46, at + 46 + nameLength))
    const dataAt = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true)
    const data = archive.subarray(dataAt, dataAt + compressed)
    entries.set(name, new Uint8Array(method === 0 ? data : inflateRawSync(data)))
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}
