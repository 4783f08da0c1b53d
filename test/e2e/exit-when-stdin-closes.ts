/**
 * Preloaded (`node --import`) into the Prism proxy: the process exits when
 * its standard input closes. The test runner holds the write end of that
 * pipe, so a runner that is killed outright (SIGKILL, a crash) takes the
 * proxy with it even though it could not clean up. serve.py does the same
 * for the server.
 */
process.stdin.on("end", () => process.exit(0))
process.stdin.on("error", () => process.exit(0))
process.stdin.resume()
