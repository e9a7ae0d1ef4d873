"""``tensorshell`` on the command line: argv -> the REPL, a script, test mode or the kernel.
No logic of its own.

    tensorshell                      the interactive terminal
    tensorshell -c CODE              run CODE and exit
    tensorshell FILE.tsh [ARGS...]   run a script (--keep-going reports every error)
    tensorshell test FILE.tsh...     check a script's expected output (--update rewrites it)
    tensorshell kernel install       install the Jupyter kernel (--user, --sys-prefix, --prefix)
    echo CODE | tensorshell          run piped input as a script
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["test"]:
        p = argparse.ArgumentParser(prog="tensorshell test",
                                    description="Check the expected output in .tsh files.")
        p.add_argument("files", nargs="+")
        p.add_argument("--update", action="store_true",
                       help="rewrite the expected output in place")
        p.add_argument("--device", default="/cpu:0",
                       help="the session's default device while testing (default /cpu:0)")
        args = p.parse_args(argv[1:])
        from .script import run_tests
        return max(run_tests(f, update=args.update, device=args.device) for f in args.files)
    if argv[:1] == ["kernel"]:
        from .kernel.install import main as kernel_main
        return kernel_main(argv[1:])
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__.split("\n\n", 1)[1])
        return 0
    if argv[:1] == ["-c"]:
        if len(argv) < 2:
            print("tensorshell: -c needs CODE", file=sys.stderr)
            return 2
        from .script import run_source
        return run_source(argv[1], "<tensorshell -c>", argv[2:])
    keep_going = "--keep-going" in argv[:1]
    if keep_going:
        argv = argv[1:]
    if argv and not argv[0].startswith("-"):
        from .script import run_file
        return run_file(argv[0], argv[1:], keep_going=keep_going)
    if not argv and not sys.stdin.isatty():
        from .script import run_source
        return run_source(sys.stdin.read(), "<stdin>")
    from .repl import start
    return start(argv)


if __name__ == "__main__":
    sys.exit(main())
