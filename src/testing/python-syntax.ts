/**
 * The syntax of the test double's Python subset: a tokenizer and a
 * recursive-descent parser that turn code into statements, and that name
 * what they meet outside the subset in a `SyntaxError` (see python.ts for
 * what runs).
 *
 * @module
 */
import { PyError, type PyValue } from "./python-values.ts"

/** What the double's sandbox does not run, appended to the `SyntaxError` it reports. */
export const UNSUPPORTED =
  "is not supported by the MemoryLayer test double, whose sandbox runs only assignments, expressions and print() " +
  "on numbers, strings, lists and dicts"

type Token =
  | { readonly kind: "number"; readonly value: bigint | number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "name"; readonly value: string }
  | { readonly kind: "op"; readonly value: string }
  | { readonly kind: "newline" }
  | { readonly kind: "indent" }
  | { readonly kind: "end" }

const KEYWORDS = new Set([
  "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
  "from", "global", "if", "import", "is", "lambda", "nonlocal", "pass", "raise", "return", "try", "while", "with", "yield"
])

const OPERATORS = ["**=", "//=", "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "+", "-", "*", "/", "%", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";"]

const syntaxError = (what: string): PyError => new PyError("SyntaxError", `${what} ${UNSUPPORTED}`)

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", "\"": "\"", "0": "\0" }

/** Splits `code` into tokens; newlines inside brackets do not end a statement. */
const tokenize = (code: string): Array<Token> => {
  const tokens: Array<Token> = []
  let depth = 0
  let i = 0
  let lineStart = true
  while (i < code.length) {
    const char = code[i] as string
    if (lineStart && depth === 0) {
      const indent = /^[ \t]*/.exec(code.slice(i))?.[0] ?? ""
      const rest = code.slice(i + indent.length)
      if (indent !== "" && !/^(#|\r?\n|$)/.test(rest)) tokens.push({ kind: "indent" })
      i += indent.length
      lineStart = false
      continue
    }
    if (char === "#") {
      while (i < code.length && code[i] !== "\n") i++
    } else if (char === "\n") {
      if (depth === 0) tokens.push({ kind: "newline" })
      lineStart = true
      i++
    } else if (char === " " || char === "\t" || char === "\r") {
      i++
    } else if (/[0-9]/.test(char) || (char === "." && /[0-9]/.test(code[i + 1] ?? ""))) {
      const text = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(code.slice(i))?.[0] ?? char
      tokens.push({ kind: "number", value: /[.eE]/.test(text) ? Number(text) : BigInt(text) })
      i += text.length
      if (/[A-Za-z_]/.test(code[i] ?? "")) throw new PyError("SyntaxError", "invalid decimal literal")
    } else if (char === "'" || char === "\"") {
      if (code.startsWith(char.repeat(3), i)) throw syntaxError("a triple-quoted string")
      let value = ""
      i++
      while (code[i] !== char) {
        if (i >= code.length || code[i] === "\n") throw new PyError("SyntaxError", "unterminated string literal")
        if (code[i] === "\\") {
          const escaped = ESCAPES[code[i + 1] ?? ""]
          if (escaped === undefined) throw syntaxError(`the escape \\${code[i + 1] ?? ""}`)
          value += escaped
          i += 2
        } else {
          value += code[i]
          i++
        }
      }
      i++
      tokens.push({ kind: "string", value })
    } else if (/[A-Za-z_]/.test(char)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(code.slice(i))?.[0] as string
      i += name.length
      if (code[i] === "'" || code[i] === "\"") throw syntaxError(`a ${name}-prefixed string`)
      tokens.push({ kind: "name", value: name })
    } else {
      const op = OPERATORS.find((candidate) => code.startsWith(candidate, i))
      if (op === undefined) throw syntaxError(`the character ${JSON.stringify(char)}`)
      if ("([{".includes(op)) depth++
      if (")]}".includes(op)) depth = Math.max(0, depth - 1)
      tokens.push(op === ";" ? { kind: "newline" } : { kind: "op", value: op })
      i += op.length
    }
  }
  tokens.push({ kind: "newline" }, { kind: "end" })
  return tokens
}

/** An expression of the subset. */
export type Expr =
  | { readonly type: "literal"; readonly value: PyValue }
  | { readonly type: "name"; readonly name: string }
  | { readonly type: "list"; readonly items: ReadonlyArray<Expr> }
  | { readonly type: "dict"; readonly entries: ReadonlyArray<readonly [Expr, Expr]> }
  | { readonly type: "unary"; readonly op: string; readonly operand: Expr }
  | { readonly type: "binary"; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly type: "compare"; readonly first: Expr; readonly rest: ReadonlyArray<readonly [string, Expr]> }
  | { readonly type: "logical"; readonly op: "and" | "or"; readonly left: Expr; readonly right: Expr }
  | { readonly type: "index"; readonly target: Expr; readonly index: Expr }
  | { readonly type: "call"; readonly callee: Expr; readonly args: ReadonlyArray<Expr> }
  | { readonly type: "method"; readonly target: Expr; readonly name: string; readonly args: ReadonlyArray<Expr> }

/** A statement of the subset. */
export type Statement =
  | { readonly type: "assign"; readonly name: string; readonly op: string; readonly value: Expr }
  | { readonly type: "assignIndex"; readonly target: Expr; readonly index: Expr; readonly value: Expr }
  | { readonly type: "expression"; readonly value: Expr }

/** A recursive-descent parser over the tokens of one code string. */
class Parser {
  #at = 0
  readonly tokens: ReadonlyArray<Token>
  constructor(tokens: ReadonlyArray<Token>) {
    this.tokens = tokens
  }

  #peek(offset = 0): Token {
    return this.tokens[Math.min(this.#at + offset, this.tokens.length - 1)] as Token
  }

  #next(): Token {
    const token = this.#peek()
    this.#at++
    return token
  }

  #isOp(value: string, offset = 0): boolean {
    const token = this.#peek(offset)
    return token.kind === "op" && token.value === value
  }

  #isName(value: string): boolean {
    const token = this.#peek()
    return token.kind === "name" && token.value === value
  }

  #expectOp(value: string): void {
    if (!this.#isOp(value)) throw this.#unexpected()
    this.#at++
  }

  #unexpected(): PyError {
    const token = this.#peek()
    if (token.kind === "op" && token.value === ":") return syntaxError("a slice or block (':')")
    if (token.kind === "op" && token.value === ",") return syntaxError("a tuple")
    if (token.kind === "op" && (token.value === "**=" || token.value === "//=" || token.value === "%=")) return syntaxError(`'${token.value}'`)
    return new PyError("SyntaxError", "invalid syntax")
  }

  /** Every statement of the code. */
  program(): Array<Statement> {
    const statements: Array<Statement> = []
    while (this.#peek().kind !== "end") {
      if (this.#peek().kind === "newline") {
        this.#at++
        continue
      }
      statements.push(this.#statement())
      if (this.#peek().kind !== "newline") throw this.#unexpected()
    }
    return statements
  }

  #statement(): Statement {
    const first = this.#peek()
    if (first.kind === "indent") throw new PyError("IndentationError", `unexpected indent (an indented block ${UNSUPPORTED})`)
    if (first.kind === "name" && KEYWORDS.has(first.value)) throw syntaxError(`'${first.value}'`)
    const second = this.#peek(1)
    if (first.kind === "name" && second.kind === "op" && ["=", "+=", "-=", "*=", "/="].includes(second.value)) {
      this.#at += 2
      return { type: "assign", name: first.value, op: second.value, value: this.#expression() }
    }
    const value = this.#expression()
    if (this.#isOp("=")) {
      this.#at++
      if (value.type !== "index") throw syntaxError("assigning to anything but a name or an item")
      return { type: "assignIndex", target: value.target, index: value.index, value: this.#expression() }
    }
    if (this.#isOp(",")) throw syntaxError("a tuple")
    return { type: "expression", value }
  }

  #expression(): Expr {
    const token = this.#peek()
    if (token.kind === "name" && (token.value === "lambda" || token.value === "if")) throw syntaxError(`'${token.value}'`)
    const value = this.#or()
    if (this.#isName("if")) throw syntaxError("'if' inside an expression")
    if (this.#isName("for")) throw syntaxError("a comprehension")
    return value
  }

  #or(): Expr {
    let left = this.#and()
    while (this.#isName("or")) {
      this.#at++
      left = { type: "logical", op: "or", left, right: this.#and() }
    }
    return left
  }

  #and(): Expr {
    let left = this.#not()
    while (this.#isName("and")) {
      this.#at++
      left = { type: "logical", op: "and", left, right: this.#not() }
    }
    return left
  }

  #not(): Expr {
    if (this.#isName("not")) {
      this.#at++
      return { type: "unary", op: "not", operand: this.#not() }
    }
    return this.#comparison()
  }

  #comparison(): Expr {
    const first = this.#arith()
    const rest: Array<[string, Expr]> = []
    for (;;) {
      const token = this.#peek()
      let op: string | undefined
      if (token.kind === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(token.value)) op = token.value
      else if (token.kind === "name" && token.value === "in") op = "in"
      else if (token.kind === "name" && token.value === "not" && this.#peek(1).kind === "name" && (this.#peek(1) as { value: string }).value === "in") op = "not in"
      else if (token.kind === "name" && token.value === "is") throw syntaxError("'is'")
      if (op === undefined) break
      this.#at += op === "not in" ? 2 : 1
      rest.push([op, this.#arith()])
    }
    return rest.length === 0 ? first : { type: "compare", first, rest }
  }

  #arith(): Expr {
    let left = this.#term()
    while (this.#isOp("+") || this.#isOp("-")) {
      const op = (this.#next() as { value: string }).value
      left = { type: "binary", op, left, right: this.#term() }
    }
    return left
  }

  #term(): Expr {
    let left = this.#factor()
    while (this.#isOp("*") || this.#isOp("/") || this.#isOp("//") || this.#isOp("%")) {
      const op = (this.#next() as { value: string }).value
      left = { type: "binary", op, left, right: this.#factor() }
    }
    return left
  }

  #factor(): Expr {
    if (this.#isOp("-") || this.#isOp("+")) {
      const op = (this.#next() as { value: string }).value
      return { type: "unary", op, operand: this.#factor() }
    }
    const base = this.#postfix()
    if (this.#isOp("**")) {
      this.#at++
      return { type: "binary", op: "**", left: base, right: this.#factor() }
    }
    return base
  }

  #arguments(): Array<Expr> {
    const args: Array<Expr> = []
    while (!this.#isOp(")")) {
      const token = this.#peek()
      if (token.kind === "name" && this.#isOp("=", 1)) throw syntaxError("a keyword argument")
      if (this.#isOp("*")) throw syntaxError("argument unpacking")
      args.push(this.#expression())
      if (!this.#isOp(")")) this.#expectOp(",")
    }
    this.#at++
    return args
  }

  #postfix(): Expr {
    let value = this.#atom()
    for (;;) {
      if (this.#isOp("(")) {
        this.#at++
        value = { type: "call", callee: value, args: this.#arguments() }
      } else if (this.#isOp("[")) {
        this.#at++
        const index = this.#expression()
        if (this.#isOp(":")) throw syntaxError("a slice")
        this.#expectOp("]")
        value = { type: "index", target: value, index }
      } else if (this.#isOp(".")) {
        this.#at++
        const name = this.#next()
        if (name.kind !== "name") throw this.#unexpected()
        if (!this.#isOp("(")) throw syntaxError(`reading the attribute '.${name.value}'`)
        this.#at++
        value = { type: "method", target: value, name: name.value, args: this.#arguments() }
      } else {
        return value
      }
    }
  }

  #atom(): Expr {
    const token = this.#next()
    switch (token.kind) {
      case "number":
      case "string":
        if (token.kind === "string" && this.#peek().kind === "string") throw syntaxError("implicit string concatenation")
        return { type: "literal", value: token.value }
      case "name":
        if (token.value === "True" || token.value === "False") return { type: "literal", value: token.value === "True" }
        if (token.value === "None") return { type: "literal", value: null }
        if (KEYWORDS.has(token.value) || token.value === "and" || token.value === "or" || token.value === "in" || token.value === "not") {
          throw syntaxError(`'${token.value}'`)
        }
        return { type: "name", name: token.value }
      case "op":
        if (token.value === "(") {
          if (this.#isOp(")")) throw syntaxError("a tuple")
          const inner = this.#expression()
          if (this.#isOp(",")) throw syntaxError("a tuple")
          this.#expectOp(")")
          return inner
        }
        if (token.value === "[") {
          const items: Array<Expr> = []
          while (!this.#isOp("]")) {
            items.push(this.#expression())
            if (!this.#isOp("]")) this.#expectOp(",")
          }
          this.#at++
          return { type: "list", items }
        }
        if (token.value === "{") {
          const entries: Array<[Expr, Expr]> = []
          while (!this.#isOp("}")) {
            const key = this.#expression()
            if (!this.#isOp(":")) throw syntaxError("a set")
            this.#at++
            entries.push([key, this.#expression()])
            if (!this.#isOp("}")) this.#expectOp(",")
          }
          this.#at++
          return { type: "dict", entries }
        }
        this.#at--
        throw this.#unexpected()
      case "indent":
      case "newline":
      case "end":
        this.#at--
        throw this.#unexpected()
    }
  }
}

/** The statements of `code`, or the `SyntaxError` (or `IndentationError`) Python would raise first. */
export const parse = (code: string): Array<Statement> => new Parser(tokenize(code)).program()
