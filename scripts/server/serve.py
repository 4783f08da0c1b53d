"""Start `memorylayer serve` for `npm start`, `npm run server` and the e2e tests.

Why this launcher exists: memorylayer-server 0.2.0 opens its SQLite store by
calling `enable_load_extension(True)` (to load sqlite-vec) inside a try block
whose failure it handles by falling back to pure-Python vector search, and then
calls `enable_load_extension(False)` in an unguarded `finally`. Python builds
whose sqlite3 module has no `enable_load_extension` (pyenv builds without
--enable-loadable-sqlite-extensions, for example) raise AttributeError from that
`finally`, the store never connects, and every storage call answers 500 while
/health still says healthy. On such a Python we make only the *disable* call a
no-op: there is nothing to disable when loading was never possible. The
*enable* call still fails, so the server takes its own documented fallback.
On a Python that has the method nothing is changed.

The launcher also stops the server when its standard input closes, so a parent
(the test runner, `npm start`) that dies without cleaning up does not leave a
server behind: the parent holds the write end of that pipe.
"""

import os
import signal
import sqlite3
import sys
import threading

import aiosqlite


def _tolerate_missing_load_extension() -> None:
    if hasattr(sqlite3.Connection, "enable_load_extension"):
        return
    original = aiosqlite.Connection.enable_load_extension

    async def enable_load_extension(self: aiosqlite.Connection, value: bool) -> None:
        if value:
            await original(self, value)  # raises AttributeError: the server falls back
        # Disabling is a no-op: extension loading was never enabled.

    aiosqlite.Connection.enable_load_extension = enable_load_extension


def _stop_when_stdin_closes() -> None:
    def watch() -> None:
        while sys.stdin.buffer.read(4096):
            pass
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="stdin-watchdog", daemon=True).start()


if __name__ == "__main__":
    _tolerate_missing_load_extension()
    _stop_when_stdin_closes()
    from memorylayer_server.cli import cli

    cli.main(args=["serve", *sys.argv[1:]], prog_name="memorylayer")
