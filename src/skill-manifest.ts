/**
 * Reading a SKILL.md: its YAML front matter (between `---` lines) and its
 * body, turned into the manifest fields `skills.save` takes. The front matter
 * is read with a small YAML subset, enough for what SKILL.md files hold:
 * `key: value` lines, quoted and plain scalars (plain ones may continue on
 * more-indented lines), `|` and `>` block scalars, nested maps by indentation,
 * and lists (`- item` lines or `[a, b]`). Anything outside it (flow maps,
 * anchors, tags, tabs in indentation) is refused with the line it is on,
 * never guessed at.
 *
 * @module
 */
import type { ValidationIssue } from "./errors.ts"

/** A parsed YAML value: a plain scalar keeps its text until its type is known. */
type Node = { readonly plain: string } | string | ReadonlyArray<Node> | { readonly [key: string]: Node } | null

/** What `skills.save` takes from a SKILL.md. */
export interface SkillManifestFields {
  readonly name?: string
  readonly description?: string
  readonly version?: string
  readonly license?: string
  readonly compatibility?: string
  readonly allowed_tools?: string
  readonly metadata?: Readonly<Record<string, unknown>>
  readonly body: string
}

interface Line {
  /** 1-based, in the SKILL.md file. */
  readonly number: number
  readonly indent: number
  /** Whether its indentation holds a tab. */
  readonly tab: boolean
  /** The line without its indentation. */
  readonly text: string
}

class Refused extends Error {}

const refuse = (line: Line | undefined, message: string): never => {
  throw new Refused(line === undefined ? message : `line ${line.number}: ${message}`)
}

const isPlain = (node: Node): node is { readonly plain: string } => typeof node === "object" && node !== null && "plain" in node

/** `text` without a trailing ` # comment`. */
const withoutComment = (text: string): string => text.replace(/(^|\s)#.*$/, "").trimEnd()

/** A double-quoted scalar's escapes. Unknown escapes are kept as written. */
const unescape = (text: string): string =>
  text.replace(/\\(["\\/nrt0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_, e: string) => {
    if (e.startsWith("x") || e.startsWith("u")) return String.fromCharCode(Number.parseInt(e.slice(1), 16))
    return ({ n: "\n", r: "\r", t: "\t", "0": "\0" } as Record<string, string>)[e] ?? e
  })

/** A quoted scalar starting at `text[0]`: its value and what follows it. */
const quoted = (line: Line, text: string): { readonly value: string; readonly rest: string } => {
  const quote = text[0]
  const pattern = quote === "\"" ? /^"((?:[^"\\]|\\.)*)"/ : /^'((?:[^']|'')*)'/
  const match = pattern.exec(text)
  if (match === null) return refuse(line, "a quoted string must end on the line it starts on")
  const inner = match[1] ?? ""
  return { value: quote === "\"" ? unescape(inner) : inner.replaceAll("''", "'"), rest: text.slice(match[0].length).trim() }
}

/** A scalar written on one line (quoted or plain), or a `[a, b]` list. */
const inline = (line: Line, text: string): Node => {
  const first = text[0]
  if (first === "{") return refuse(line, "flow maps ({...}) are not supported: write the map on indented lines")
  if (first === "&" || first === "*" || first === "!") return refuse(line, "anchors, aliases and tags are not supported")
  if (first === "\"" || first === "'") {
    const { value, rest } = quoted(line, text)
    if (withoutComment(rest) !== "") refuse(line, `unexpected text after a quoted string: ${rest}`)
    return value
  }
  if (first === "[") {
    const items: Array<Node> = []
    let rest = text.slice(1).trim()
    while (!rest.startsWith("]")) {
      if (rest === "") return refuse(line, "a [...] list must end on the line it starts on")
      if (rest[0] === "\"" || rest[0] === "'") {
        const item = quoted(line, rest)
        items.push(item.value)
        rest = item.rest
      } else {
        const end = rest.search(/[,\]]/)
        if (end === -1) return refuse(line, "a [...] list must end on the line it starts on")
        const item = rest.slice(0, end).trim()
        if (item.startsWith("[") || item.startsWith("{")) return refuse(line, "nested [...] or {...} in a list are not supported")
        items.push({ plain: item })
        rest = rest.slice(end)
      }
      rest = rest.trim()
      if (rest.startsWith(",")) rest = rest.slice(1).trim()
    }
    if (withoutComment(rest.slice(1).trim()) !== "") refuse(line, "unexpected text after a [...] list")
    return items
  }
  return { plain: withoutComment(text) }
}

/**
 * The lines of a `>` block joined as YAML folds them: lines of text with a
 * space, an empty line as a line break, more-indented lines kept on their own.
 */
const folded = (rows: ReadonlyArray<string>): string => {
  let out = ""
  rows.forEach((row, i) => {
    const previous = rows[i - 1]
    if (previous === undefined) out = row
    else if (row === "") out += "\n"
    else if (previous === "") out += row
    else out += row.startsWith(" ") || previous.startsWith(" ") ? `\n${row}` : ` ${row}`
  })
  return out
}

/** Whether a line holds nothing for the structure: blank, or a comment. */
const isFiller = (line: Line): boolean => line.text === "" || line.text.startsWith("#")

/** Reads the front matter's lines into nodes. */
class Reader {
  readonly #lines: Array<Line>
  #at = 0

  constructor(lines: ReadonlyArray<Line>) {
    this.#lines = [...lines]
  }

  /** The next line that holds something (blank lines and comments skipped). */
  peek(): Line | undefined {
    while (this.#at < this.#lines.length && isFiller(this.#lines[this.#at] as Line)) this.#at++
    const line = this.#lines[this.#at]
    if (line !== undefined && line.tab) refuse(line, "tabs are not allowed in indentation")
    return line
  }

  /** A block (map or list) whose lines are indented exactly `indent`. */
  block(indent: number): Node {
    const first = this.peek()
    if (first === undefined) return null
    return first.text === "-" || first.text.startsWith("- ") ? this.list(indent) : this.map(indent)
  }

  map(indent: number): { readonly [key: string]: Node } {
    const out: Record<string, Node> = {}
    for (let line = this.peek(); line !== undefined && line.indent === indent; line = this.peek()) {
      const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^"'#\-[{][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(.*))?$/.exec(line.text)
      if (match === null) return refuse(line, `expected "key: value", got: ${line.text}`)
      const rawKey = match[1] ?? ""
      const key = rawKey.startsWith("\"") || rawKey.startsWith("'") ? quoted(line, rawKey).value : rawKey
      if (Object.hasOwn(out, key)) refuse(line, `the key ${key} is given twice`)
      this.#at++
      out[key] = this.value(line, (match[2] ?? "").trim())
    }
    return out
  }

  list(indent: number): ReadonlyArray<Node> {
    const out: Array<Node> = []
    for (let line = this.peek(); line !== undefined && line.indent === indent && (line.text === "-" || line.text.startsWith("- ")); line = this.peek()) {
      const content = line.text.slice(1).trimStart()
      if (/^[^"'[{#][^:#]*?:(\s|$)/.test(content)) {
        // `- key: value` starts a map whose keys line up with `key`.
        const column = indent + line.text.length - content.length
        this.#lines.splice(this.#at, 1, { ...line, indent: column, text: content })
        out.push(this.map(column))
        continue
      }
      this.#at++
      out.push(this.value(line, content))
    }
    return out
  }

  /** The value after `key:` or `-` on `line`: inline, a block scalar, or a block on the next, deeper lines. */
  value(line: Line, text: string): Node {
    if (/^[|>][+-]?$/.test(withoutComment(text))) return this.blockScalar(line, withoutComment(text))
    const next = this.peek()
    const deeper = next !== undefined && next.indent > line.indent
    if (text === "" || text.startsWith("#")) {
      if (deeper) return this.block((next as Line).indent)
      // A map's list may sit at the key's own indentation.
      const sameLevelList = next !== undefined && next.indent === line.indent && (next.text === "-" || next.text.startsWith("- ")) && !line.text.startsWith("-")
      return sameLevelList ? this.list(line.indent) : null
    }
    const node = inline(line, text)
    if (!isPlain(node) || !deeper) {
      if (deeper) refuse(next, "unexpected indented line")
      return node
    }
    // A plain scalar continues on more-indented lines, folded with single spaces.
    const parts = [node.plain]
    for (let more = this.peek(); more !== undefined && more.indent > line.indent; more = this.peek()) {
      parts.push(withoutComment(more.text))
      this.#at++
    }
    return { plain: parts.join(" ") }
  }

  /** A `|` (literal) or `>` (folded) block scalar, with its chomping indicator: every line deeper than `line`, blank ones included. */
  blockScalar(line: Line, header: string): string {
    const taken: Array<Line> = []
    for (let more = this.#lines[this.#at]; more !== undefined && (more.text === "" || more.indent > line.indent); more = this.#lines[this.#at]) {
      taken.push(more)
      this.#at++
    }
    const filled = taken.filter((l) => l.text !== "")
    const indent = filled.length === 0 ? 0 : Math.min(...filled.map((l) => l.indent))
    const rows = taken.map((l) => (l.text === "" ? "" : " ".repeat(l.indent - indent) + l.text))
    const trailing = rows.length - (rows.findLastIndex((row) => row !== "") + 1)
    const content = rows.slice(0, rows.length - trailing)
    const joined = header.startsWith("|") ? content.join("\n") : folded(content)
    const chomp = header[1]
    if (content.length === 0) return ""
    return chomp === "-" ? joined : chomp === "+" ? `${joined}\n${"\n".repeat(trailing)}` : `${joined}\n`
  }

  /** Whether every line has been read. */
  get done(): boolean {
    return this.peek() === undefined
  }
}

/** The front matter's lines, numbered as in the file. */
const linesOf = (text: string, firstLine: number): ReadonlyArray<Line> =>
  text.split("\n").map((raw, i) => {
    const content = raw.replace(/\r$/, "")
    const indentation = /^[ \t]*/.exec(content)?.[0] ?? ""
    return { number: firstLine + i, indent: indentation.length, tab: indentation.includes("\t"), text: content.slice(indentation.length) }
  })

/** The typed value of a node, plain scalars resolved as YAML's core schema does. */
const resolve = (node: Node): unknown => {
  if (node === null || typeof node === "string") return node
  if (isPlain(node)) {
    const text = node.plain
    if (text === "" || text === "~" || text === "null" || text === "Null" || text === "NULL") return null
    if (/^(true|True|TRUE)$/.test(text)) return true
    if (/^(false|False|FALSE)$/.test(text)) return false
    if (/^[-+]?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
    if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text)
    return text
  }
  if (Array.isArray(node)) return node.map(resolve)
  return Object.fromEntries(Object.entries(node as Record<string, Node>).map(([key, value]) => [key, resolve(value)]))
}

/** A manifest field as text: a scalar as written (`version: 1.0` stays `"1.0"`), `undefined` when absent or null. */
const text = (node: Node | undefined, key: string, issues: Array<ValidationIssue>): string | undefined => {
  if (node === undefined || node === null) return undefined
  if (typeof node === "string") return node
  if (isPlain(node)) return node.plain === "" || node.plain === "~" || node.plain === "null" ? undefined : node.plain
  issues.push({ path: ["manifest", key], message: "must be a single value, not a list or a map" })
  return undefined
}

const KNOWN = new Set(["name", "description", "version", "license", "compatibility", "allowed-tools", "allowed_tools", "metadata"])

/**
 * Splits a SKILL.md into its front matter and body, as memorylayer-server
 * renders one: the front matter between a first line `---` and the next
 * `---` line, then one blank line, then the body. A file without front matter
 * is all body.
 */
const split = (skillMd: string): { readonly frontMatter: string | undefined; readonly body: string; readonly firstLine: number } => {
  const opening = /^---[ \t]*\r?\n/.exec(skillMd)
  if (opening === null) return { frontMatter: undefined, body: skillMd, firstLine: 1 }
  const rest = skillMd.slice(opening[0].length)
  const closing = /^---[ \t]*(\r?\n|$)/m.exec(rest)
  if (closing === null) return { frontMatter: undefined, body: skillMd, firstLine: 1 }
  const after = rest.slice(closing.index + closing[0].length)
  return { frontMatter: rest.slice(0, closing.index), body: after.replace(/^\r?\n/, ""), firstLine: 2 }
}

/**
 * The manifest fields of a SKILL.md: `name`, `description`, `version`,
 * `license`, `compatibility`, `allowed-tools` (also `allowed_tools`; a list is
 * joined with spaces, as the field is space-separated), `metadata` (a map),
 * and the body. Other top-level keys are kept in `metadata` (where they do not
 * clash with it). Returns the broken rules instead when the front matter
 * cannot be read.
 */
export const parseSkillMd = (skillMd: string): { readonly fields: SkillManifestFields; readonly issues: ReadonlyArray<ValidationIssue> } => {
  const { frontMatter, body, firstLine } = split(skillMd)
  if (frontMatter === undefined) return { fields: { body }, issues: [] }
  let root: Node
  try {
    const reader = new Reader(linesOf(frontMatter, firstLine))
    const top = reader.peek()
    if (top !== undefined && top.indent !== 0) refuse(top, "the front matter's keys must start at the beginning of the line")
    root = reader.block(0)
    if (!reader.done) refuse(reader.peek(), "unexpected line")
  } catch (error) {
    if (!(error instanceof Refused)) throw error
    return { fields: { body }, issues: [{ path: ["manifest"], message: `SKILL.md front matter: ${error.message}` }] }
  }
  if (root === null) return { fields: { body }, issues: [] }
  if (typeof root !== "object" || Array.isArray(root) || isPlain(root)) {
    return { fields: { body }, issues: [{ path: ["manifest"], message: "SKILL.md front matter must be a map of keys" }] }
  }
  const map = root as { readonly [key: string]: Node }
  const issues: Array<ValidationIssue> = []
  const tools = map["allowed-tools"] ?? map["allowed_tools"]
  const allowedTools = Array.isArray(tools) ? (tools as ReadonlyArray<Node>).map((t) => text(t, "allowed-tools", issues) ?? "").join(" ") : text(tools, "allowed-tools", issues)
  const metadataNode = map["metadata"]
  const metadata: Record<string, unknown> = {}
  if (metadataNode !== undefined && metadataNode !== null) {
    const value = resolve(metadataNode)
    if (typeof value === "object" && value !== null && !Array.isArray(value)) Object.assign(metadata, value)
    else {
      issues.push({
        path: ["manifest", "metadata"],
        message: "must be a map (memorylayer-server 0.2.0 renders metadata as the text of a Python dict: give metadata in the options instead)"
      })
    }
  }
  for (const [key, node] of Object.entries(map)) if (!KNOWN.has(key) && !Object.hasOwn(metadata, key)) metadata[key] = resolve(node)
  const fields: Record<string, unknown> = { body }
  for (const key of ["name", "description", "version", "license", "compatibility"] as const) {
    const value = text(map[key], key, issues)
    if (value !== undefined) fields[key] = value
  }
  if (allowedTools !== undefined) fields["allowed_tools"] = allowedTools
  if (Object.keys(metadata).length > 0) fields["metadata"] = metadata
  return { fields: fields as unknown as SkillManifestFields, issues }
}
