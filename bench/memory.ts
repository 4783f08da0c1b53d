/**
 * `npm run bench` part 4: what a client costs in memory and leaves behind.
 * - the heap of an idle client (the mean over 200 clients, after GC);
 * - after 10,000 calls over loopback and `close()`, the process's active
 *   handles (timers, sockets) compared with before the client existed.
 * Each runs in a fresh process (`--expose-gc`), so nothing else is measured.
 */
import { execFileSync } from "node:child_process"
import { resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")

/** Figures measured in a child process. */
export interface MemoryFigures {
  readonly idleClientBytes: number
  /** Active handles (by kind) after the calls and close(), beyond those before the client. */
  readonly leftBehind: ReadonlyArray<string>
  readonly calls: number
}

/** Runs the measurement in a fresh process. */
export const measureMemory = (): MemoryFigures =>
  JSON.parse(
    execFileSync(process.execPath, ["--expose-gc", resolve(root, "bench", "memory-child.ts")], { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1) as string
  ) as MemoryFigures

if (import.meta.main) console.log(measureMemory())
