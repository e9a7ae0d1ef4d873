"""``tensorshell`` on the command line: argv -> the interactive shell. No logic of its own.

Until the REPL front-end lands this starts IPython's terminal with ``ts`` and ``np``
preloaded; ``-c CODE`` runs code and exits.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from IPython import start_ipython
    preload = "import numpy as np; import tensorshell as ts"
    if argv[:1] == ["-c"] and len(argv) >= 2:
        ns = {}
        exec(compile(preload, "<tensorshell>", "exec"), ns)
        exec(compile(argv[1], "<tensorshell -c>", "exec"), ns)
        return 0
    start_ipython(argv=["--no-banner", "--InteractiveShellApp.exec_lines=" + preload]
                  + argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
