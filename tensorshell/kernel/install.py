"""``tensorshell kernel install|uninstall``: the kernelspec named ``tensorshell``."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile

RESOURCES = os.path.join(os.path.dirname(__file__), "resources")
DISPLAY_NAME = "tensorshell (Python)"


def write_spec(directory: str, python: str = "python") -> None:
    """kernel.json and the logos. ``python`` as argv[0] is replaced by jupyter_client with
    the running interpreter, as for ipykernel's own spec."""
    import json
    spec = {"argv": [python, "-m", "tensorshell.kernel", "-f", "{connection_file}"],
            "display_name": DISPLAY_NAME, "language": "python",
            "metadata": {"debugger": True}}
    with open(os.path.join(directory, "kernel.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
        f.write("\n")
    for name in ("logo-32x32.png", "logo-64x64.png", "logo-svg.svg"):
        shutil.copy(os.path.join(RESOURCES, name), os.path.join(directory, name))


def install(name: str = "tensorshell", user: bool = False, prefix: str | None = None,
            sys_prefix: bool = False) -> str:
    from jupyter_client.kernelspec import KernelSpecManager
    if sys_prefix:
        prefix = sys.prefix
    with tempfile.TemporaryDirectory() as tmp:
        write_spec(tmp, python=sys.executable)
        return KernelSpecManager().install_kernel_spec(tmp, kernel_name=name, user=user,
                                                       prefix=prefix)


def uninstall(name: str = "tensorshell") -> str:
    from jupyter_client.kernelspec import KernelSpecManager
    ksm = KernelSpecManager()
    path = ksm.get_kernel_spec(name).resource_dir
    ksm.remove_kernel_spec(name)
    return path


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="tensorshell kernel",
                                description="Install or remove the tensorshell Jupyter kernel.")
    sub = p.add_subparsers(dest="command", required=True)
    i = sub.add_parser("install", help="install the kernelspec")
    where = i.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="for this user only")
    where.add_argument("--sys-prefix", action="store_true",
                       help="into this Python environment's prefix")
    where.add_argument("--prefix", help="into PREFIX/share/jupyter/kernels")
    i.add_argument("--name", default="tensorshell")
    u = sub.add_parser("uninstall", help="remove the kernelspec")
    u.add_argument("--name", default="tensorshell")
    args = p.parse_args(argv)
    try:
        if args.command == "install":
            path = install(args.name, user=args.user, prefix=args.prefix,
                           sys_prefix=args.sys_prefix)
            print(f"Installed kernelspec {args.name} in {path}")
        else:
            path = uninstall(args.name)
            print(f"Removed kernelspec {args.name} from {path}")
    except Exception as e:  # noqa: BLE001 - permission errors and unknown names, said plainly
        print(f"tensorshell kernel {args.command}: {e}", file=sys.stderr)
        return 1
    return 0
