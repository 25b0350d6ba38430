"""Check that notebooks carry their outputs, and small ones: what CI runs after `tools/refresh_nbs.py`.

    python tools/check_outputs.py [NB ...]    # exit 1 naming each notebook and cell at fault

A notebook passes when at least MIN_SHARE of its shown code cells (not `#| export`, `#| hide` or `#| default_exp`)
have an output, and no single output is over MAX_BYTES. Export cells are left out because the docs show their
`show_doc` entries instead; test cells (`test_eq`, ...) print nothing, hence a share rather than every cell.
"""
import argparse, json, sys
from pathlib import Path

from nbdev.config import get_config
from nbdev.process import extract_directives
from execnb.nbio import read_nb

MIN_SHARE, MAX_BYTES = 0.2, 200_000
NOT_SHOWN = {'export', 'exporti', 'hide', 'default_exp'}


def shown_code(nb) -> list:
    "The code cells the docs show as code: not exported, hidden or the `default_exp` line."
    shown = lambda c: c.cell_type == 'code' and not NOT_SHOWN & extract_directives(c, remove=False).keys()
    return [c for c in nb.cells if shown(c)]


def problems(path: Path) -> list[str]:
    "What is wrong with the outputs of the notebook at `path` (nothing when it passes)."
    cells, found = shown_code(read_nb(path)), []
    with_output = [c for c in cells if c.get('outputs')]
    if cells and len(with_output) < MIN_SHARE * len(cells):
        found.append(f"{path.name}: {len(with_output)} of {len(cells)} shown code cells have outputs "
                     f"(at least {MIN_SHARE:.0%} must): run tools/refresh_nbs.py nbs/{path.name}")
    for c in with_output:
        for o in c.outputs:
            size = len(json.dumps(o))
            if size > MAX_BYTES: found.append(f"{path.name} cell {c.idx_}: an output of {size:,} bytes "
                                              f"(at most {MAX_BYTES:,})")
    return found


def notebooks() -> list[Path]:
    "Every notebook in nbs/ (not `_`-prefixed)."
    return sorted(p for p in get_config().nbs_path.glob('*.ipynb') if not p.name.startswith('_'))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('notebooks', nargs='*', type=Path, help="default: every notebook in nbs/")
    found = [p for nb in (parser.parse_args().notebooks or notebooks()) for p in problems(nb)]
    print('\n'.join(found) or 'outputs ok', file=sys.stderr)
    sys.exit(1 if found else 0)


if __name__ == '__main__': main()
