/**
 * The test double's sandbox language against CPython 3.12: every supported
 * case below was run in CPython 3.12 (as `exec` of the statements, then
 * `repr` of a final expression) and the double must give the same printed
 * output, result and error. What the double does not run it must say so, and
 * never pretend to run it.
 */
import { describe, expect, it } from "vitest"
import { runPython } from "../../src/testing/python.ts"
import { UNSUPPORTED } from "../../src/testing/python-syntax.ts"
import { floatRepr, fromJson, PyDict, type PyValue, pythonJsonDumps, repr, sizeOf } from "../../src/testing/python-values.ts"
import { sha256Hex } from "../../src/testing/sha256.ts"
import { relevance, words } from "../../src/testing/text-score.ts"
import { createHash } from "node:crypto"

/** [code, what it prints, repr of its final expression (null when none), the error CPython raises]. */
const CPYTHON: ReadonlyArray<readonly [string, string, string | null, string | null]> = [
  ["x = 6 * 7", "", null, null],
  ["-7 // 2", "", "-4", null],
  ["-7 % 3", "", "2", null],
  ["7 % -3", "", "-2", null],
  ["2 ** 10", "", "1024", null],
  ["2 ** -1", "", "0.5", null],
  ["10 / 4", "", "2.5", null],
  ["10 / 5", "", "2.0", null],
  ["1e16", "", "1e+16", null],
  ["0.1 + 0.2", "", "0.30000000000000004", null],
  ["1.5e-7", "", "1.5e-07", null],
  ["3 * 'ab'", "", "'ababab'", null],
  ["[1, 2] + [3]", "", "[1, 2, 3]", null],
  ["[0] * 3", "", "[0, 0, 0]", null],
  ["'a' + 1", "", null, "TypeError: can only concatenate str (not \"int\") to str"],
  ["1 + 'a'", "", null, "TypeError: unsupported operand type(s) for +: 'int' and 'str'"],
  ["{'a': 1, 'b': [True, None]}", "", "{'a': 1, 'b': [True, None]}", null],
  ["d = {'k': 1}\nd['j'] = 2\nd", "", "{'k': 1, 'j': 2}", null],
  ["d = {'k': 1}\nd['missing']", "", null, "KeyError: 'missing'"],
  ["[1, 2, 3][-1]", "", "3", null],
  ["[1][5]", "", null, "IndexError: list index out of range"],
  ["'abc'[9]", "", null, "IndexError: string index out of range"],
  ["len('h\u00e9llo')", "", "5", null],
  ["len(5)", "", null, "TypeError: object of type 'int' has no len()"],
  ["int('42') + int(3.9) + int(True)", "", "46", null],
  ["int('x')", "", null, "ValueError: invalid literal for int() with base 10: 'x'"],
  ["float('2.5') * 2", "", "5.0", null],
  ["str(1.0) + repr('it\\'s')", "", "'1.0\"it\\'s\"'", null],
  ["max(3, 9, 4)", "", "9", null],
  ["min([])", "", null, "ValueError: min() iterable argument is empty"],
  ["sorted([3, 1, 2])", "", "[1, 2, 3]", null],
  ["sum([1, 2.5])", "", "3.5", null],
  ["abs(-3)", "", "3", null],
  ["1 < 2 < 3", "", "True", null],
  ["1 < 'a'", "", null, "TypeError: '<' not supported between instances of 'int' and 'str'"],
  ["'b' in 'abc' and 2 not in [1, 3]", "", "True", null],
  ["not []", "", "True", null],
  ["0 or 'fallback'", "", "'fallback'", null],
  ["1 == 1.0 == True", "", "True", null],
  ["x = 1\nx += 2\nx *= 4\nx", "", "12", null],
  ["x = 5\nx /= 2\nx", "", "2.5", null],
  ["y = 1 / 0", "", null, "ZeroDivisionError: division by zero"],
  ["1 % 0", "", null, "ZeroDivisionError: integer modulo by zero"],
  ["1.0 // 0", "", null, "ZeroDivisionError: float floor division by zero"],
  ["0 ** -1", "", null, "ZeroDivisionError: 0.0 cannot be raised to a negative power"],
  ["print('a', 1, None, [1, 'b'])\nprint()", "a 1 None [1, 'b']\n\n", null, null],
  ["items = []\nitems.append(1)\nitems", "", "[1]", null],
  ["'Hi'.upper() + ' ' + ' x '.strip()", "", "'HI x'", null],
  ["{'a': 1}.get('b', 'none')", "", "'none'", null],
  ["list({'a': 1, 'b': 2}.keys())", "", "['a', 'b']", null],
  ["missing", "", null, "NameError: name 'missing' is not defined"],
  ["a = 1; b = 2; a + b", "", "3", null],
  ["# just a comment", "", null, null],
  ["None", "", null, null],
  ["'tab\\tand\\nnewline'", "", "'tab\\tand\\nnewline'", null],
  ["[1, 2, 3][True]", "", "2", null],
  ["2 ** 100", "", "1267650600228229401496703205376", null],
  ["-(3)", "", "-3", null],
  ["not 0 and 5", "", "5", null],
]

const run = (code: string) => {
  const variables = new Map<string, PyValue>()
  const outcome = runPython(code, variables)
  return { output: outcome.output, result: outcome.result === undefined || outcome.result === null ? null : repr(outcome.result), error: outcome.error ?? null }
}

describe("the sandbox's Python subset", () => {
  it.each(CPYTHON)("%j gives what CPython 3.12 gives", (code, output, result, error) => {
    expect(run(code)).toEqual({ output, result, error })
  })

  it.each([
    ["for i in [1]:\n    print(i)", "'for'"],
    ["import os", "'import'"],
    ["def f():\n    return 1", "'def'"],
    ["[1, 2][0:1]", "a slice"],
    ["(1, 2)", "a tuple"],
    ["7 // 2, -7 // 2", "a tuple"],
    ["x = 1 if True else 2", "'if' inside an expression"],
    ["f'{1}'", "a f-prefixed string"],
    ["[x for x in [1]]", "a comprehension"],
    ["print(1, end='')", "a keyword argument"]
  ])("%j is a SyntaxError naming %s and saying the double does not run it", (code, what) => {
    expect(run(code)).toEqual({ output: "", result: null, error: `SyntaxError: ${what} ${UNSUPPORTED}` })
  })

  it("reports an unknown function as a NameError that says the double has few builtins", () => {
    expect(run("range(3)").error).toBe("NameError: name 'range' is not defined (the MemoryLayer test double's sandbox has only a few builtins)")
  })

  it("keeps the assignments made before an error, and lists what changed", () => {
    const variables = new Map<string, PyValue>()
    const outcome = runPython("a = 1\nb = a + 1\nc = b / 0", variables)
    expect(outcome).toMatchObject({ error: "ZeroDivisionError: division by zero", changed: ["a", "b"] })
    expect([...variables.keys()]).toEqual(["a", "b"])
    expect(runPython("a + b", variables).result).toBe(3n)
  })

  it("refuses to build a value too large for memory", () => {
    expect(run("'x' * 10 ** 9").error).toBe("MemoryError")
    expect(run("2 ** 10 ** 9").error).toBe("MemoryError")
  })
})

describe("Python values", () => {
  it("repr of floats follows CPython's shortest form and exponent rules", () => {
    expect([2, 0.1, 1e16, 1.5e-7, 1e-4, 123456789012345678, -0, 1e22, Infinity, NaN].map(floatRepr))
      .toEqual(["2.0", "0.1", "1e+16", "1.5e-07", "0.0001", "1.2345678901234568e+17", "-0.0", "1e+22", "inf", "nan"])
  })

  it("repr of strings picks quotes and escapes as CPython does", () => {
    expect(["it's", "a\"b", "it's \"x\"", "tab\tnl\n\u0001é"].map((text) => repr(text)))
      .toEqual(["\"it's\"", "'a\"b'", "'it\\'s \"x\"'", "'tab\\tnl\\n\\x01é'"])
  })

  it("JSON becomes Python values as json.loads makes them, and json.dumps writes them back", () => {
    const value = fromJson({ retries: 3, ratio: 0.5, name: "x", tags: ["a"], on: true, none: null })
    expect(value).toBeInstanceOf(PyDict)
    expect(repr(value)).toBe("{'retries': 3, 'ratio': 0.5, 'name': 'x', 'tags': ['a'], 'on': True, 'none': None}")
    expect(pythonJsonDumps({ path: "src/é.ts", line: 42, ok: false, list: [1.5, null] })).toBe("{\"path\": \"src/\\u00e9.ts\", \"line\": 42, \"ok\": false, \"list\": [1.5, null]}")
  })

  it("sizes are CPython 3.12's sys.getsizeof for the common cases", () => {
    expect([null, true, 5n, 2n ** 40n, 1.5, "abc", "", [1n, 2n], [], new PyDict(), fromJson({ a: 1 }), "é"].map((value) => sizeOf(value as PyValue)))
      .toEqual([16, 28, 28, 32, 24, 44, 41, 72, 56, 64, 184, 61])
  })
})

describe("content hashes and the relevance score", () => {
  it("sha256Hex is SHA-256 of the UTF-8 text, across block boundaries", () => {
    for (const text of ["", "abc", "x".repeat(55), "x".repeat(56), "x".repeat(64), "é🎉".repeat(40)]) {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"))
    }
  })

  it("the score is the share of the query's words found, ignoring case, function words and a plural s", () => {
    expect([...words("How should I ANSWER the answers?")]).toEqual(["answer"])
    expect(relevance(words("zebra migration steps"), "Zebra migrations")).toBeCloseTo(2 / 3)
    expect(relevance(words("the a of"), "the a of")).toBe(0)
    expect(relevance(words("class"), "classes and class")).toBe(1)
  })
})
