/**
 * Stand-ins for Python interpreters: shell scripts that print a fixed line
 * whatever they are asked, as `python -c "print(version)"` would.
 *
 * @module
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"

const scratchDirs: Array<string> = []

/** A fresh empty folder under the system's temporary folder, removed by {@link removeScratchDirs}. */
export const scratchDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "memorylayer-test-"))
  scratchDirs.push(dir)
  return dir
}

/** Removes every folder {@link scratchDir} made; for `afterAll`. */
export const removeScratchDirs = (): void => {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/**
 * Writes an executable at `path` that prints `output` and exits 0, and
 * returns `path`.
 *
 * @example
 * ```ts
 * const python = fakePython(join(scratchDir(), "python3"), "3.11.9")
 * await findPython({ PYTHON: python }) // rejects: is Python 3.11.9
 * ```
 */
export const fakePython = (path: string, output: string): string => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `#!/bin/sh\necho '${output}'\n`)
  chmodSync(path, 0o755)
  return path
}
