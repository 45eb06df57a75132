"""``convviz code``: the document as a script, in PyTorch or NumPy, that computes the same map
and checks it; arrays too large to write inline are saved as ``.npy`` files beside it."""

from __future__ import annotations

import sys
from pathlib import Path

from ..model.code_out import script_for
from .arguments import CliError
from .document import build_project


def _name(args) -> str:
    """What the side files are named after: the script, else the project, input or demo."""
    for given in (args.out, args.project, args.input):
        if given:
            return Path(given).stem
    return args.demo or "convviz"


def run_code(args) -> int:
    """``convviz code``: write the script to ``--out`` (or stdout), its side files beside it
    (with no ``--out``, in the current folder, said on stderr)."""
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix != ".py":
        raise CliError(f"the script is Python: give --out a name ending in .py, got {out.name}")
    project = build_project(args)
    script = script_for(project.document, args.lang, _name(args))
    if out is None:
        script.save_files(Path())
    saved = ", ".join(script.files)
    if out is None:
        sys.stdout.write(script.text)
        if saved:
            print(
                f"convviz: saved {saved} in the current folder: the script loads them from "
                "its own folder, so keep them beside it",
                file=sys.stderr,
            )
        return 0
    script.save(out)
    beside = f" and beside it {saved}" if saved else ""
    print(f"wrote {out}{beside}; run it with: python {out}")
    return 0
