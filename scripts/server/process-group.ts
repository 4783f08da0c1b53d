/**
 * Child processes that run in their own process group, so that stopping one
 * also stops everything it started, and that are killed when this process
 * exits or is interrupted, whoever forgets to stop them. POSIX only.
 */
import { spawn } from "node:child_process"
import { closeSync, openSync, readFileSync } from "node:fs"
import { Socket } from "node:net"

/** A running child process and its process group. */
export interface ProcessGroup {
  readonly name: string
  /** The leader's pid, which is also the process group id. */
  readonly pid: number
  /** Where its stdout and stderr go. */
  readonly logFile: string
  /** Settles when the leader has exited, with a description of how. */
  readonly exited: Promise<string>
  /** True once the leader has exited. */
  readonly hasExited: () => boolean
  /** The leader's exit code once it has exited on its own; null while it runs, when it was killed, or did not start. */
  readonly exitCode: () => number | null
  /** Keeps this process running as long as the leader runs (by default the child does not, and the exit handler kills it). */
  readonly keepAlive: () => void
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader is gone. Safe to call twice. */
  readonly stop: (graceMs?: number) => Promise<void>
}

/** How to start a {@link ProcessGroup}. */
export interface ProcessGroupOptions {
  readonly name: string
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly cwd: string
  readonly env: NodeJS.ProcessEnv
  readonly logFile: string
  /**
   * Give the child a pipe on stdin that only closes when this process ends,
   * for children that stop themselves on end of input.
   */
  readonly stdinPipe?: boolean
}

const live = new Set<ProcessGroup>()
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const

const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: the group is already gone.
  }
}

const killAllNow = (): void => {
  for (const group of live) signalGroup(group.pid, "SIGKILL")
  live.clear()
}

const onExit = (): void => killAllNow()

const onSignal = (signal: NodeJS.Signals): void => {
  // Someone else handles this signal (a command that stops its servers gracefully, vitest): it decides what
  // happens next, and when it exits the exit handler kills whatever is still running.
  if (process.listenerCount(signal) > 1) return
  killAllNow()
  uninstallHandlers()
  // Let the signal do what it would have done without us.
  process.kill(process.pid, signal)
}

const installHandlers = (): void => {
  if (process.listeners("exit").includes(onExit)) return
  process.on("exit", onExit)
  for (const signal of SIGNALS) process.on(signal, onSignal)
}

const uninstallHandlers = (): void => {
  process.off("exit", onExit)
  for (const signal of SIGNALS) process.off(signal, onSignal)
}

/** Starts `command` as the leader of a new process group, its output appended to `logFile`. */
export const startProcessGroup = (options: ProcessGroupOptions): ProcessGroup => {
  const log = openSync(options.logFile, "a")
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: [options.stdinPipe === true ? "pipe" : "ignore", log, log]
  })
  closeSync(log)
  let exitedAlready = false
  let exitCode: number | null = null
  const exited = new Promise<string>((resolve) => {
    child.once("error", (error) => {
      exitedAlready = true
      resolve(`could not start: ${error.message}`)
    })
    child.once("exit", (code, signal) => {
      exitedAlready = true
      exitCode = code
      resolve(signal === null ? `exited with code ${code}` : `was killed by ${signal}`)
    })
  })
  // Neither the child nor its stdin pipe keeps this process alive; the exit handler kills the child.
  child.unref()
  if (child.stdin instanceof Socket) child.stdin.unref()

  const pid = child.pid ?? -1
  const group: ProcessGroup = {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    hasExited: () => exitedAlready,
    exitCode: () => exitCode,
    keepAlive: () => child.ref(),
    stop: async (graceMs = 10_000) => {
      live.delete(group)
      if (live.size === 0) uninstallHandlers()
      if (pid < 0) return
      // Keep this process alive until the child is gone, or it would exit mid-teardown.
      child.ref()
      signalGroup(pid, "SIGTERM")
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(resolve, graceMs, "timeout")
      })
      if ((await Promise.race([exited, timeout])) === "timeout") signalGroup(pid, "SIGKILL")
      clearTimeout(timer)
      await exited
      // Anything the leader started and left behind in its group.
      signalGroup(pid, "SIGKILL")
    }
  }
  if (pid >= 0) {
    live.add(group)
    installHandlers()
  }
  return group
}

/** The last `lines` lines of a log file, for error messages; empty when it cannot be read. */
export const logTail = (file: string, lines = 30): string => {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n")
  } catch {
    return ""
  }
}
