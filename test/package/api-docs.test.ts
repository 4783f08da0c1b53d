/**
 * Every field of the public API has TSDoc in the published declarations:
 * the `.d.ts` files `npm run build` writes to dist/types/ (tsc with
 * tsconfig.build.json), emitted here by the same compiler and settings into a
 * temporary folder, so this test does not race the other package tests for
 * dist/. Read with the TypeScript compiler API from the three entry points:
 * every exported interface, type alias, class and enum object, the object
 * types nested in their fields, and the members they inherit from this
 * package's bases that are not exported. A field is a property, method or
 * accessor (every overload of a method must be documented); a class member
 * that is private or protected is no API. A field is documented when its own
 * comment has a summary, or when it overrides a documented member of one of
 * this package's types (editors show the inherited text).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import ts from "typescript"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "..", "..")
const ENTRY_POINTS = ["src/index.d.ts", "src/effect.d.ts", "src/testing.d.ts"]

let out = ""
let program: ts.Program

/** Emits the declarations as the build does, into `dir`. */
const emitDeclarations = (dir: string): void => {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.build.json"), { outDir: dir }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"))
    }
  })
  if (config === undefined) throw new Error("tsconfig.build.json could not be read")
  const result = ts.createProgram(config.fileNames, config.options).emit(undefined, undefined, undefined, true)
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error)
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" }))
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "memorylayer-client-dts-"))
  emitDeclarations(out)
  program = ts.createProgram(ENTRY_POINTS.map((f) => join(out, f)), { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023, skipLibCheck: true, noEmit: true })
}, 120_000)

afterAll(() => {
  if (out !== "") rmSync(out, { recursive: true, force: true })
})

/** One field of an exported type: where it is, and whether it has TSDoc. */
interface Field {
  readonly name: string
  readonly documented: boolean
}

const hasSummary = (node: ts.Node): boolean =>
  ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && ts.getTextOfJSDocComment(doc.comment)?.trim())

const isFieldNode = (node: ts.Node): node is ts.PropertySignature | ts.MethodSignature | ts.PropertyDeclaration | ts.MethodDeclaration | ts.AccessorDeclaration =>
  ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)

const isHidden = (node: ts.Node): boolean => {
  if (ts.isPrivateIdentifier((node as { name?: ts.Node }).name ?? node)) return true
  const flags = ts.getCombinedModifierFlags(node as ts.Declaration)
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0
}

/** The object types written inside a field's type (not inside function types: those are parameters). */
const nestedLiterals = (type: ts.TypeNode | undefined): Array<ts.TypeLiteralNode> => {
  if (type === undefined || ts.isFunctionTypeNode(type) || ts.isConstructorTypeNode(type)) return []
  if (ts.isTypeLiteralNode(type)) return [type]
  const found: Array<ts.TypeLiteralNode> = []
  ts.forEachChild(type, (child) => {
    if (ts.isTypeNode(child)) found.push(...nestedLiterals(child))
  })
  return found
}

/** Whether a base type of `declaration` in this package has a documented member of that name (not `Object`'s or `Error`'s). */
const documentedInBase = (checker: ts.TypeChecker, declaration: ts.ClassDeclaration | ts.InterfaceDeclaration, member: ts.Symbol): boolean =>
  (declaration.heritageClauses ?? []).flatMap((clause) => clause.types).some((base) => {
    const inherited = checker.getPropertyOfType(checker.getTypeAtLocation(base), member.escapedName as string)
    return inherited !== undefined && (inherited.declarations ?? []).some((d) => d.getSourceFile().fileName.startsWith(out)) &&
      ts.displayPartsToString(inherited.getDocumentationComment(checker)).trim() !== ""
  })

/** The fields of `members` (and of the object types nested in them), prefixed with `path`; `owner` when it may inherit. */
const fieldsOf = (checker: ts.TypeChecker, path: string, members: ReadonlyArray<ts.Node>, owner?: ts.ClassDeclaration | ts.InterfaceDeclaration): Array<Field> =>
  members.filter(isFieldNode).filter((m) => !isHidden(m)).flatMap((member) => {
    const name = `${path}.${member.name.getText()}`
    const symbol = checker.getSymbolAtLocation(member.name)
    const inherited = owner !== undefined && symbol !== undefined && documentedInBase(checker, owner, symbol)
    const own: Field = { name, documented: hasSummary(member) || inherited }
    const type = ts.isMethodSignature(member) || ts.isMethodDeclaration(member) || ts.isSetAccessorDeclaration(member) ? undefined : member.type
    return [own, ...nestedLiterals(type).flatMap((literal) => fieldsOf(checker, name, literal.members))]
  })

/**
 * The fields of one exported declaration, or `undefined` when it is no interface, type, class or enum object. A
 * class or interface also shows the members of its bases that are this package's but not exported themselves
 * (`MemoryLayerClient`'s from its base class): only there are they documented for a reader.
 */
const fieldsOfDeclaration = (checker: ts.TypeChecker, exported: ReadonlySet<ts.Symbol>, name: string, declaration: ts.Declaration): Array<Field> | undefined => {
  if (ts.isInterfaceDeclaration(declaration) || ts.isClassDeclaration(declaration)) {
    const hiddenBases = (declaration.heritageClauses ?? []).flatMap((clause) => clause.types).flatMap((base) => {
      const found = checker.getSymbolAtLocation(base.expression)
      const symbol = found !== undefined && found.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(found) : found
      if (symbol === undefined || exported.has(symbol)) return []
      return (symbol.declarations ?? []).filter((d) => d.getSourceFile().fileName.startsWith(out))
    })
    return [
      ...fieldsOf(checker, name, declaration.members, declaration),
      ...hiddenBases.flatMap((base) => fieldsOfDeclaration(checker, exported, name, base) ?? [])
    ]
  }
  if (ts.isTypeAliasDeclaration(declaration)) return nestedLiterals(declaration.type).flatMap((l) => fieldsOf(checker, name, l.members))
  if (ts.isVariableDeclaration(declaration) && declaration.type !== undefined && ts.isTypeLiteralNode(declaration.type)) {
    return fieldsOf(checker, name, declaration.type.members)
  }
  return undefined
}

describe("TSDoc of the published declarations", () => {
  it("documents every field of every exported interface, type, class and enum object of the three entry points", () => {
    const checker = program.getTypeChecker()
    const exports = new Map<ts.Symbol, string>()
    for (const entry of ENTRY_POINTS) {
      const file = program.getSourceFile(join(out, entry))
      const module = file === undefined ? undefined : checker.getSymbolAtLocation(file)
      if (module === undefined) throw new Error(`no declarations for ${entry}`)
      for (const exported of checker.getExportsOfModule(module)) {
        exports.set(exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported, exported.name)
      }
    }
    const exported = new Set(exports.keys())
    const fields: Array<Field> = []
    let types = 0
    for (const [symbol, name] of exports) {
      const own = (symbol.declarations ?? []).flatMap((d) => fieldsOfDeclaration(checker, exported, name, d) ?? [])
      if (own.length === 0) continue
      types++
      fields.push(...own)
    }
    const byName = new Map<string, boolean>()
    for (const field of fields) byName.set(field.name, (byName.get(field.name) ?? true) && field.documented)
    const undocumented = [...byName].filter(([, documented]) => !documented).map(([name]) => name)
    console.log(`api docs: ${byName.size - undocumented.length} fields of ${types} exported types documented`)
    expect(undocumented).toEqual([])
    // The API's objects alone have hundreds of fields: a count this low means the walk found nothing.
    expect(byName.size).toBeGreaterThan(1000)
  })
})
