/**
 * Python values as the test double's sandbox holds them, and how Python
 * writes them: `int` is a `bigint`, `float` a `number`, `str` a `string`,
 * `bool` a `boolean`, `None` `null`, `list` an array and `dict` a
 * {@link PyDict}. `repr`, `str`, type names and sizes follow CPython 3.12, so
 * previews read as the real sandbox's do.
 *
 * @module
 */
import type { Json } from "../types.ts"

/** A value in the sandbox. */
export type PyValue = null | boolean | bigint | number | string | PyList | PyDict

/** A Python `list`. */
export type PyList = Array<PyValue>

/** A raised Python exception: `type` is its class name, e.g. `ZeroDivisionError`. */
export class PyError extends Error {
  readonly type: string
  constructor(type: string, message: string) {
    super(message)
    this.type = type
  }

  /** `ZeroDivisionError: division by zero`, as the sandbox reports it. */
  describe(): string {
    return this.message === "" ? this.type : `${this.type}: ${this.message}`
  }
}

/** The key under which `key` is found: Python's equal keys (`1`, `1.0`, `True`) share one. */
const slot = (key: PyValue): string => {
  if (typeof key === "string") return `s${key}`
  if (typeof key === "boolean") return `n${key ? 1 : 0}`
  if (typeof key === "bigint") return `n${key}`
  if (typeof key === "number") return Number.isInteger(key) ? `n${BigInt(key)}` : `f${key}`
  if (key === null) return "none"
  throw new PyError("TypeError", `unhashable type: '${typeName(key)}'`)
}

/** A Python `dict`: insertion-ordered, keyed by hashable values. */
export class PyDict {
  readonly #entries = new Map<string, { key: PyValue; value: PyValue }>()

  get size(): number {
    return this.#entries.size
  }

  has(key: PyValue): boolean {
    return this.#entries.has(slot(key))
  }

  get(key: PyValue): PyValue | undefined {
    return this.#entries.get(slot(key))?.value
  }

  set(key: PyValue, value: PyValue): void {
    const existing = this.#entries.get(slot(key))
    if (existing === undefined) this.#entries.set(slot(key), { key, value })
    else existing.value = value
  }

  keys(): Array<PyValue> {
    return Array.from(this.#entries.values(), (entry) => entry.key)
  }

  values(): Array<PyValue> {
    return Array.from(this.#entries.values(), (entry) => entry.value)
  }

  entries(): Array<readonly [PyValue, PyValue]> {
    return Array.from(this.#entries.values(), (entry) => [entry.key, entry.value] as const)
  }
}

/**
 * The Python type name of `value`.
 *
 * @example
 * ```ts
 * typeName(42n) // "int"
 * ```
 */
export const typeName = (value: PyValue): string => {
  if (value === null) return "NoneType"
  if (typeof value === "boolean") return "bool"
  if (typeof value === "bigint") return "int"
  if (typeof value === "number") return "float"
  if (typeof value === "string") return "str"
  return Array.isArray(value) ? "list" : "dict"
}

/** Python's `repr` of a float: the shortest round-trip digits, exponent form outside 1e-4 .. 1e16. */
export const floatRepr = (value: number): string => {
  if (Number.isNaN(value)) return "nan"
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf"
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0"
  const [mantissa = "", exponentText = "0"] = Math.abs(value).toExponential().split("e")
  const exponent = Number(exponentText)
  const digits = mantissa.replace(".", "")
  const sign = value < 0 ? "-" : ""
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0")
    return `${sign}${whole}.${digits.slice(exponent + 1) || "0"}`
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
  return `${sign}${head}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`
}

/** Python's `repr` of a str: single quotes unless the text has one and no double quote. */
const strRepr = (text: string): string => {
  const quote = text.includes("'") && !text.includes("\"") ? "\"" : "'"
  let out = quote
  for (const char of text) {
    const code = char.codePointAt(0) as number
    if (char === "\\") out += "\\\\"
    else if (char === quote) out += `\\${quote}`
    else if (char === "\n") out += "\\n"
    else if (char === "\r") out += "\\r"
    else if (char === "\t") out += "\\t"
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`
    else out += char
  }
  return out + quote
}

/**
 * Python's `repr(value)`.
 *
 * @example
 * ```ts
 * repr([1n, "a", null, true, 2.5]) // "[1, 'a', None, True, 2.5]"
 * ```
 */
export const repr = (value: PyValue, seen: ReadonlySet<object> = new Set()): string => {
  if (value === null) return "None"
  if (typeof value === "boolean") return value ? "True" : "False"
  if (typeof value === "bigint") return value.toString()
  if (typeof value === "number") return floatRepr(value)
  if (typeof value === "string") return strRepr(value)
  if (seen.has(value)) return Array.isArray(value) ? "[...]" : "{...}"
  const inner = new Set([...seen, value])
  if (Array.isArray(value)) return `[${value.map((item) => repr(item, inner)).join(", ")}]`
  return `{${value.entries().map(([key, item]) => `${repr(key, inner)}: ${repr(item, inner)}`).join(", ")}}`
}

/**
 * Python's `str(value)`: the text itself for a str, `repr` otherwise.
 *
 * @example
 * ```ts
 * str("hi") // "hi"
 * ```
 */
export const str = (value: PyValue): string => (typeof value === "string" ? value : repr(value))

/**
 * About what CPython 3.12's `sys.getsizeof` says for `value` (the object
 * itself, not what it refers to).
 *
 * @example
 * ```ts
 * sizeOf(42n) // 28
 * ```
 */
export const sizeOf = (value: PyValue): number => {
  if (value === null) return 16
  if (typeof value === "boolean") return 28
  if (typeof value === "bigint") {
    const bits = (value < 0n ? -value : value).toString(2).length
    return value === 0n ? 28 : 24 + 4 * Math.max(1, Math.ceil(bits / 30))
  }
  if (typeof value === "number") return 24
  if (typeof value === "string") {
    const ascii = [...value].every((char) => (char.codePointAt(0) as number) < 128)
    return ascii ? 41 + value.length : 59 + 2 * [...value].length
  }
  if (Array.isArray(value)) return 56 + 8 * value.length
  return value.size === 0 ? 64 : value.size <= 5 ? 184 : value.size <= 10 ? 272 : 272 + 24 * (value.size - 10)
}

/**
 * The Python value of a JSON value, as `json.loads` makes it (a whole number
 * becomes an `int`).
 *
 * @example
 * ```ts
 * fromJson({ retries: 3 }) // a dict {'retries': 3}
 * ```
 */
export const fromJson = (value: Json | undefined): PyValue => {
  if (value === null || value === undefined) return null
  if (typeof value === "number") return Number.isInteger(value) && Number.isSafeInteger(value) ? BigInt(value) : value
  if (typeof value === "string" || typeof value === "boolean") return value
  if (Array.isArray(value)) return value.map(fromJson)
  const dict = new PyDict()
  for (const [key, item] of Object.entries(value)) dict.set(key, fromJson(item))
  return dict
}

/** `\uXXXX` escapes for everything outside printable ASCII, as Python's `json.dumps` writes by default. */
const jsonString = (text: string): string =>
  JSON.stringify(text).replace(/[\u0080-\uffff]/g, (char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, "0")}`)

/**
 * Python's `json.dumps(value)` with its default separators (`", "` and
 * `": "`) and ASCII escaping: how the server turns a working-memory value
 * into the text of the long-term memory it writes for it.
 *
 * @example
 * ```ts
 * pythonJsonDumps({ path: "src/index.ts", line: 42 }) // '{"path": "src/index.ts", "line": 42}'
 * ```
 */
export const pythonJsonDumps = (value: Json): string => {
  if (value === null) return "null"
  if (typeof value === "boolean") return value ? "true" : "false"
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : floatRepr(value)
  if (typeof value === "string") return jsonString(value)
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`
  return `{${Object.entries(value).map(([key, item]) => `${jsonString(key)}: ${pythonJsonDumps(item)}`).join(", ")}}`
}
