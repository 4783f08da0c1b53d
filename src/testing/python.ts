/**
 * The test double's sandbox language: a small, exact subset of Python, so
 * that `contextExec` behaves as the real sandbox does for the code agents
 * and tests typically send, and says so plainly for anything else.
 *
 * Supported: one statement per line (or `;`-separated): `name = expr`,
 * `name += expr` (and `-=`, `*=`, `/=`), `name[key] = expr`, and bare
 * expressions; numbers, strings, `True`/`False`/`None`, lists and dicts;
 * `+ - * / // % **`, comparisons, `in`, `and`/`or`/`not`; indexing;
 * `print`, `len`, `str`, `repr`, `int`, `float`, `bool`, `abs`, `min`, `max`,
 * `sum`, `sorted`, `list`; `dict.get/keys/values`, `list.append`,
 * `str.upper/lower/strip`. Errors are Python's (`ZeroDivisionError: division
 * by zero`, `NameError: name 'x' is not defined`, ...). Any other syntax
 * (`if`, `for`, `def`, `import`, slices, tuples, f-strings, ...) is a
 * `SyntaxError` that names it and says the double does not run it.
 *
 * @module
 */
import { type Expr, parse, type Statement } from "./python-syntax.ts"
import { PyDict, PyError, type PyList, type PyValue, repr, str, typeName } from "./python-values.ts"

const isNumeric = (value: PyValue): value is bigint | number | boolean =>
  typeof value === "bigint" || typeof value === "number" || typeof value === "boolean"

const asInt = (value: bigint | number | boolean): bigint | number => (typeof value === "boolean" ? (value ? 1n : 0n) : value)

const truthy = (value: PyValue): boolean => {
  if (value === null) return false
  if (typeof value === "boolean") return value
  if (typeof value === "bigint") return value !== 0n
  if (typeof value === "number") return value !== 0
  if (typeof value === "string" || Array.isArray(value)) return value.length > 0
  return value.size > 0
}

/** Largest text or list the double builds, so `"x" * 10**12` fails instead of exhausting memory. */
const MAX_ITEMS = 10_000_000

const unsupported = (op: string, left: PyValue, right: PyValue): PyError =>
  new PyError("TypeError", `unsupported operand type(s) for ${op}: '${typeName(left)}' and '${typeName(right)}'`)

const repeat = <A>(items: ReadonlyArray<A> | string, times: bigint): Array<A> | string => {
  const count = times < 0n ? 0 : Number(times)
  if (count * items.length > MAX_ITEMS) throw new PyError("MemoryError", "")
  return typeof items === "string" ? items.repeat(count) : Array.from({ length: count }, () => items).flat() as Array<A>
}

const floorDivInt = (a: bigint, b: bigint): bigint => {
  const q = a / b
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q
}

const arithmetic = (op: string, left: PyValue, right: PyValue): PyValue => {
  if (isNumeric(left) && isNumeric(right)) {
    const a = asInt(left)
    const b = asInt(right)
    if (typeof a === "bigint" && typeof b === "bigint") {
      switch (op) {
        case "+": return a + b
        case "-": return a - b
        case "*": return a * b
        case "/":
          if (b === 0n) throw new PyError("ZeroDivisionError", "division by zero")
          return Number(a) / Number(b)
        case "//":
          if (b === 0n) throw new PyError("ZeroDivisionError", "integer division or modulo by zero")
          return floorDivInt(a, b)
        case "%":
          if (b === 0n) throw new PyError("ZeroDivisionError", "integer modulo by zero")
          return a - b * floorDivInt(a, b)
        case "**":
          if (b < 0n) {
            if (a === 0n) throw new PyError("ZeroDivisionError", "0.0 cannot be raised to a negative power")
            return Number(a) ** Number(b)
          }
          if (b > 100_000n && a !== 0n && a !== 1n && a !== -1n) throw new PyError("MemoryError", "")
          return a ** b
      }
    }
    const x = Number(a)
    const y = Number(b)
    switch (op) {
      case "+": return x + y
      case "-": return x - y
      case "*": return x * y
      case "/":
        if (y === 0) throw new PyError("ZeroDivisionError", "float division by zero")
        return x / y
      case "//":
        if (y === 0) throw new PyError("ZeroDivisionError", "float floor division by zero")
        return Math.floor(x / y)
      case "%":
        if (y === 0) throw new PyError("ZeroDivisionError", "float modulo")
        return x - y * Math.floor(x / y)
      case "**":
        if (x === 0 && y < 0) throw new PyError("ZeroDivisionError", "0.0 cannot be raised to a negative power")
        return x ** y
    }
  }
  if (op === "+") {
    if (typeof left === "string") {
      if (typeof right === "string") return left + right
      throw new PyError("TypeError", `can only concatenate str (not "${typeName(right)}") to str`)
    }
    if (Array.isArray(left)) {
      if (Array.isArray(right)) return [...left, ...right]
      throw new PyError("TypeError", `can only concatenate list (not "${typeName(right)}") to list`)
    }
  }
  if (op === "*") {
    if ((typeof left === "string" || Array.isArray(left)) && (typeof right === "bigint" || typeof right === "boolean")) return repeat(left, asInt(right) as bigint)
    if ((typeof right === "string" || Array.isArray(right)) && (typeof left === "bigint" || typeof left === "boolean")) return repeat(right, asInt(left) as bigint)
  }
  throw unsupported(op, left, right)
}

const equal = (left: PyValue, right: PyValue): boolean => {
  if (isNumeric(left) && isNumeric(right)) {
    const a = asInt(left)
    const b = asInt(right)
    return typeof a === "bigint" && typeof b === "bigint" ? a === b : Number(a) === Number(b)
  }
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((item, i) => equal(item, right[i] as PyValue))
  if (left instanceof PyDict && right instanceof PyDict) {
    return left.size === right.size && left.entries().every(([key, value]) => right.has(key) && equal(value, right.get(key) as PyValue))
  }
  return left === right
}

/** -1, 0 or 1 as Python orders `left` and `right`, or a TypeError for `op`. */
const order = (op: string, left: PyValue, right: PyValue): number => {
  if (isNumeric(left) && isNumeric(right)) {
    const a = asInt(left)
    const b = asInt(right)
    if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0
    return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0
  }
  if (typeof left === "string" && typeof right === "string") return left < right ? -1 : left > right ? 1 : 0
  if (Array.isArray(left) && Array.isArray(right)) {
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
      if (!equal(left[i] as PyValue, right[i] as PyValue)) return order(op, left[i] as PyValue, right[i] as PyValue)
    }
    return Math.sign(left.length - right.length)
  }
  throw new PyError("TypeError", `'${op}' not supported between instances of '${typeName(left)}' and '${typeName(right)}'`)
}

const contains = (container: PyValue, item: PyValue): boolean => {
  if (typeof container === "string") {
    if (typeof item !== "string") throw new PyError("TypeError", `'in <string>' requires string as left operand, not ${typeName(item)}`)
    return container.includes(item)
  }
  if (Array.isArray(container)) return container.some((element) => equal(element, item))
  if (container instanceof PyDict) return container.has(item)
  throw new PyError("TypeError", `argument of type '${typeName(container)}' is not iterable`)
}

const compare = (op: string, left: PyValue, right: PyValue): boolean => {
  switch (op) {
    case "==": return equal(left, right)
    case "!=": return !equal(left, right)
    case "in": return contains(right, left)
    case "not in": return !contains(right, left)
    case "<": return order(op, left, right) < 0
    case "<=": return order(op, left, right) <= 0
    case ">": return order(op, left, right) > 0
    default: return order(op, left, right) >= 0
  }
}

const iterate = (value: PyValue, what: string): Array<PyValue> => {
  if (Array.isArray(value)) return value
  if (typeof value === "string") return [...value]
  if (value instanceof PyDict) return value.keys()
  throw new PyError("TypeError", `'${typeName(value)}' object is not iterable${what === "" ? "" : ` (${what})`}`)
}

const itemIndex = (length: number, index: PyValue, kind: string): number => {
  if (typeof index !== "bigint" && typeof index !== "boolean") {
    throw new PyError("TypeError", `${kind} indices must be integers or slices, not ${typeName(index)}`)
  }
  const i = Number(asInt(index))
  const at = i < 0 ? length + i : i
  if (at < 0 || at >= length) throw new PyError("IndexError", `${kind} index out of range`)
  return at
}

const getItem = (target: PyValue, index: PyValue): PyValue => {
  if (Array.isArray(target)) return target[itemIndex(target.length, index, "list")] as PyValue
  if (typeof target === "string") {
    const chars = [...target]
    return chars[itemIndex(chars.length, index, "string")] as string
  }
  if (target instanceof PyDict) {
    const value = target.get(index)
    if (value === undefined) throw new PyError("KeyError", repr(index))
    return value
  }
  throw new PyError("TypeError", `'${typeName(target)}' object is not subscriptable`)
}

const arity = (name: string, args: ReadonlyArray<PyValue>, min: number, max: number): void => {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `exactly ${min} argument${min === 1 ? "" : "s"}` : `at most ${max} arguments`
    throw new PyError("TypeError", `${name}() takes ${expected} (${args.length} given)`)
  }
}

const extreme = (name: "min" | "max", args: ReadonlyArray<PyValue>): PyValue => {
  const items = args.length === 1 ? iterate(args[0] as PyValue, "") : [...args]
  if (items.length === 0) throw new PyError("ValueError", `${name}() iterable argument is empty`)
  return items.reduce((best, item) => (order(name === "min" ? "<" : ">", item, best) * (name === "min" ? 1 : -1) < 0 ? item : best))
}

const toInt = (value: PyValue): bigint => {
  if (typeof value === "bigint") return value
  if (typeof value === "boolean") return value ? 1n : 0n
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new PyError(Number.isNaN(value) ? "ValueError" : "OverflowError", `cannot convert float ${repr(value)} to integer`)
    return BigInt(Math.trunc(value))
  }
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return BigInt(value.trim())
  if (typeof value === "string") throw new PyError("ValueError", `invalid literal for int() with base 10: ${repr(value)}`)
  throw new PyError("TypeError", `int() argument must be a string, a bytes-like object or a real number, not '${typeName(value)}'`)
}

const toFloat = (value: PyValue): number => {
  if (isNumeric(value)) return Number(asInt(value))
  if (typeof value === "string") {
    const text = value.trim().toLowerCase()
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(text)) return Number(text)
    if (/^[+-]?(inf|infinity)$/.test(text)) return text.startsWith("-") ? -Infinity : Infinity
    if (/^[+-]?nan$/.test(text)) return NaN
    throw new PyError("ValueError", `could not convert string to float: ${repr(value)}`)
  }
  throw new PyError("TypeError", `float() argument must be a string or a real number, not '${typeName(value)}'`)
}

/** What one run of code did. */
export interface RunResult {
  /** What `print` wrote. */
  readonly output: string
  /** The value of the last statement when it is an expression (and the run raised nothing). */
  readonly result: PyValue | undefined
  /** Names assigned, in order of first assignment. */
  readonly changed: ReadonlyArray<string>
  /** `Type: message` of the exception that stopped the run. */
  readonly error: string | undefined
  /** How many statements ran. */
  readonly operations: number
}

/** Runs `code` against `variables`, changing them as Python would (assignments before an error stay). */
export const runPython = (code: string, variables: Map<string, PyValue>): RunResult => {
  let output = ""
  const changed: Array<string> = []

  const builtins: Readonly<Record<string, (args: ReadonlyArray<PyValue>) => PyValue>> = {
    print: (args) => {
      output += `${args.map(str).join(" ")}\n`
      return null
    },
    len: (args) => {
      arity("len", args, 1, 1)
      const value = args[0] as PyValue
      if (typeof value === "string") return BigInt([...value].length)
      if (Array.isArray(value)) return BigInt(value.length)
      if (value instanceof PyDict) return BigInt(value.size)
      throw new PyError("TypeError", `object of type '${typeName(value)}' has no len()`)
    },
    str: (args) => (arity("str", args, 0, 1), args.length === 0 ? "" : str(args[0] as PyValue)),
    repr: (args) => (arity("repr", args, 1, 1), repr(args[0] as PyValue)),
    int: (args) => (arity("int", args, 0, 1), args.length === 0 ? 0n : toInt(args[0] as PyValue)),
    float: (args) => (arity("float", args, 0, 1), args.length === 0 ? 0 : toFloat(args[0] as PyValue)),
    bool: (args) => (arity("bool", args, 0, 1), args.length === 0 ? false : truthy(args[0] as PyValue)),
    abs: (args) => {
      arity("abs", args, 1, 1)
      const value = args[0] as PyValue
      if (!isNumeric(value)) throw new PyError("TypeError", `bad operand type for abs(): '${typeName(value)}'`)
      const n = asInt(value)
      return typeof n === "bigint" ? (n < 0n ? -n : n) : Math.abs(n)
    },
    min: (args) => extreme("min", args),
    max: (args) => extreme("max", args),
    sum: (args) => (arity("sum", args, 1, 1), iterate(args[0] as PyValue, "").reduce<PyValue>((total, item) => arithmetic("+", total, item), 0n)),
    sorted: (args) => (arity("sorted", args, 1, 1), [...iterate(args[0] as PyValue, "")].sort((a, b) => order("<", a, b))),
    list: (args) => (arity("list", args, 0, 1), args.length === 0 ? [] : [...iterate(args[0] as PyValue, "")])
  }

  const callMethod = (target: PyValue, name: string, args: ReadonlyArray<PyValue>): PyValue => {
    if (target instanceof PyDict) {
      if (name === "get") return (arity("get", args, 1, 2), target.get(args[0] as PyValue) ?? args[1] ?? null)
      if (name === "keys") return (arity("keys", args, 0, 0), target.keys())
      if (name === "values") return (arity("values", args, 0, 0), target.values())
    } else if (Array.isArray(target)) {
      if (name === "append") {
        arity("append", args, 1, 1)
        ;(target as PyList).push(args[0] as PyValue)
        return null
      }
    } else if (typeof target === "string") {
      if (name === "upper") return (arity("upper", args, 0, 0), target.toUpperCase())
      if (name === "lower") return (arity("lower", args, 0, 0), target.toLowerCase())
      if (name === "strip") return (arity("strip", args, 0, 0), target.trim())
    }
    throw new PyError("AttributeError", `'${typeName(target)}' object has no attribute '${name}'`)
  }

  const evaluate = (expr: Expr): PyValue => {
    switch (expr.type) {
      case "literal": return expr.value
      case "name": {
        const value = variables.get(expr.name)
        if (value === undefined) throw new PyError("NameError", `name '${expr.name}' is not defined`)
        return value
      }
      case "list": return expr.items.map(evaluate)
      case "dict": {
        const dict = new PyDict()
        for (const [key, value] of expr.entries) dict.set(evaluate(key), evaluate(value))
        return dict
      }
      case "unary": {
        const operand = evaluate(expr.operand)
        if (expr.op === "not") return !truthy(operand)
        if (!isNumeric(operand)) throw new PyError("TypeError", `bad operand type for unary ${expr.op}: '${typeName(operand)}'`)
        const n = asInt(operand)
        return expr.op === "+" ? n : -n
      }
      case "binary": return arithmetic(expr.op, evaluate(expr.left), evaluate(expr.right))
      case "compare": {
        let left = evaluate(expr.first)
        for (const [op, rightExpr] of expr.rest) {
          const right = evaluate(rightExpr)
          if (!compare(op, left, right)) return false
          left = right
        }
        return true
      }
      case "logical": {
        const left = evaluate(expr.left)
        return (expr.op === "and") === truthy(left) ? evaluate(expr.right) : left
      }
      case "index": return getItem(evaluate(expr.target), evaluate(expr.index))
      case "call": {
        if (expr.callee.type !== "name") throw new PyError("TypeError", `'${typeName(evaluate(expr.callee))}' object is not callable`)
        const fn = builtins[expr.callee.name]
        if (variables.has(expr.callee.name)) throw new PyError("TypeError", `'${typeName(variables.get(expr.callee.name) as PyValue)}' object is not callable`)
        if (fn === undefined) {
          throw new PyError("NameError", `name '${expr.callee.name}' is not defined (the MemoryLayer test double's sandbox has only a few builtins)`)
        }
        return fn(expr.args.map(evaluate))
      }
      case "method": return callMethod(evaluate(expr.target), expr.name, expr.args.map(evaluate))
    }
  }

  const assign = (name: string, value: PyValue): void => {
    variables.set(name, value)
    if (!changed.includes(name)) changed.push(name)
  }

  let statements: Array<Statement>
  try {
    statements = parse(code)
  } catch (error) {
    return { output, result: undefined, changed, error: describe(error), operations: 0 }
  }
  let result: PyValue | undefined
  let operations = 0
  try {
    for (const statement of statements) {
      operations++
      result = undefined
      if (statement.type === "expression") {
        result = evaluate(statement.value)
      } else if (statement.type === "assign") {
        const value = evaluate(statement.value)
        assign(statement.name, statement.op === "=" ? value : arithmetic(statement.op.slice(0, -1), evaluate({ type: "name", name: statement.name }), value))
      } else {
        const target = evaluate(statement.target)
        const index = evaluate(statement.index)
        const value = evaluate(statement.value)
        if (Array.isArray(target)) target[itemIndex(target.length, index, "list")] = value
        else if (target instanceof PyDict) target.set(index, value)
        else throw new PyError("TypeError", `'${typeName(target)}' object does not support item assignment`)
        if (statement.target.type === "name") assign(statement.target.name, target)
      }
    }
  } catch (error) {
    return { output, result: undefined, changed, error: describe(error), operations }
  }
  return { output, result, changed, error: undefined, operations }
}

const describe = (error: unknown): string => {
  if (error instanceof PyError) return error.describe()
  if (error instanceof RangeError) return "RecursionError: maximum recursion depth exceeded"
  throw error
}
