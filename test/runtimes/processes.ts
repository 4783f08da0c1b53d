/**
 * Running one runtime of the matrix as a child process in its own process
 * group: its output is collected, a run that outlives its time limit is
 * killed with everything it started, and so is any run still going when the
 * test process exits. POSIX only.
 *
 * @module
 */
import { spawn } from "node:child_process"

/** How a finished run ended and what it printed. */
export interface RunOutput {
  /** Exit code, or `null` when a signal ended it. */
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** True when it was killed for running past `timeoutMs`. */
  readonly timedOut: boolean
}

/** Where and how long to run. */
export interface RunOptions {
  readonly cwd: string
  readonly env?: NodeJS.ProcessEnv
  readonly timeoutMs: number
}

const running = new Set<number>()
const killGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: the group is already gone.
  }
}
process.once("exit", () => {
  for (const pid of running) killGroup(pid, "SIGKILL")
})

/**
 * Runs `file args` to its end (or `timeoutMs`, then SIGKILL to its group) and
 * resolves with its output; rejects only when it cannot be started at all.
 *
 * @example
 * ```ts
 * const { code, stdout } = await runProcess("bun", ["main.mjs", prismUrl], { cwd: project, timeoutMs: 60_000 })
 * ```
 */
export const runProcess = (file: string, args: ReadonlyArray<string>, options: RunOptions): Promise<RunOutput> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    let timedOut = false
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    const pid = child.pid
    if (pid !== undefined) running.add(pid)
    const timer = setTimeout(() => {
      timedOut = true
      if (pid !== undefined) killGroup(pid, "SIGKILL")
    }, options.timeoutMs)
    child.once("error", (error) => {
      clearTimeout(timer)
      if (pid !== undefined) running.delete(pid)
      reject(new Error(`could not start ${file}: ${error.message}`))
    })
    child.once("close", (code, signal) => {
      clearTimeout(timer)
      if (pid !== undefined) {
        // Whatever the runtime left behind in its group goes with it.
        killGroup(pid, "SIGKILL")
        running.delete(pid)
      }
      resolve({ code, signal, stdout, stderr, timedOut })
    })
  })

/**
 * Starts `file args` in its own process group and returns a function that
 * stops the whole group (SIGKILL) and resolves once the leader is gone.
 */
export const startProcess = (
  file: string,
  args: ReadonlyArray<string>,
  options: Omit<RunOptions, "timeoutMs">
): { readonly output: () => string; readonly exited: Promise<void>; readonly stop: () => Promise<void> } => {
  const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
  const pid = child.pid
  if (pid !== undefined) running.add(pid)
  const exited = new Promise<void>((resolve) => {
    child.once("close", () => resolve())
    child.once("error", (error) => {
      output += `\ncould not start ${file}: ${error.message}`
      resolve()
    })
  })
  const stop = async (): Promise<void> => {
    if (pid !== undefined) {
      killGroup(pid, "SIGKILL")
      running.delete(pid)
    }
    await exited
  }
  return { output: () => output, exited, stop }
}
