"""Entry point of a SPARQL worker process: ``python -m zjkg.server.worker IN_FD OUT_FD``.

The server starts it with two inherited pipe descriptors; see
:class:`zjkg.server.sparql.QueryPool`.
"""

from __future__ import annotations

import contextlib
import sys
from multiprocessing.connection import Connection


def main(argv: list[str]) -> int:
    """Serve jobs from the inbox pipe until it closes; returns the exit status."""
    from zjkg.server.sparql import worker_loop

    inbox = Connection(int(argv[0]), writable=False)
    outbox = Connection(int(argv[1]), readable=False)
    with contextlib.suppress(EOFError, BrokenPipeError, KeyboardInterrupt):
        worker_loop(inbox, outbox)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
