"""Re-run notebooks in place and save their outputs, so the notebooks and the docs show what the code does.

    python tools/refresh_nbs.py                      # every notebook in nbs/
    python tools/refresh_nbs.py nbs/01_tokens.ipynb  # some

Each notebook runs top to bottom in a fresh execnb shell, in its own folder, as `nbdev_test` runs it,
after seeding `random`, numpy and torch, with matplotlib drawing small PNGs (80 dpi), and with progress
bars (tqdm's: they show timings) and FutureWarnings (deprecation notices that would save this machine's
paths) off. Cells that `nbdev_test` skips (`#| eval: false` and settings.ini's `tst_flags`: notest, slow,
gpu) are not run and keep the outputs they have. The notebook is then `nbdev_clean`ed, which keeps outputs
and drops execution counts and metadata.
"""
import argparse, os, subprocess, sys
from pathlib import Path
os.environ['TQDM_DISABLE'] = '1'  # before tqdm is imported: progress bars show timings, new at every run

from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
from nbdev.config import get_config
from nbdev.process import extract_directives

SETUP = """
import random, warnings, numpy, torch, matplotlib, transformers
transformers.utils.logging.disable_progress_bar()
warnings.simplefilter('ignore', FutureWarning)  # libraries' deprecation notices name this machine's paths
random.seed(0); numpy.random.seed(0); torch.manual_seed(0)
matplotlib.rcParams.update({'figure.dpi': 80, 'savefig.dpi': 80, 'svg.hashsalt': 'gemma_arena'})
"""


def skipped(cell, flags: set) -> bool:
    "Whether `nbdev_test` would skip `cell` (not code, `eval: false`, or a skip flag)."
    if cell.cell_type != 'code' or 'nbdev_export' + '(' in cell.source: return True
    directives = getattr(cell, 'directives_', {}) or {}
    return directives.get('eval:', [''])[0].lower() == 'false' or bool(flags & directives.keys())


def refresh(path: Path, flags: set):
    "Run the notebook at `path`, replacing the outputs of every cell that runs, and save it."
    nb = read_nb(path)
    for cell in nb.cells: cell.directives_ = extract_directives(cell, remove=False)
    def before(cell):
        if skipped(cell, flags): return True
        cell.outputs = []
    shell = CaptureShell(path, mpl_format='png')
    with working_directory(path.parent):
        shell.run(SETUP)
        try: shell.run_all(nb, exc_stop=True, preproc=before)
        except Exception: raise SystemExit(shell.prettytb(fname=path)) from None
    for cell in nb.cells: del cell['directives_']
    write_nb(nb, path)
    subprocess.run(['nbdev_clean', '--fname', str(path)], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('notebooks', nargs='*', type=Path, help="default: every notebook in nbs/")
    args = parser.parse_args()
    cfg = get_config()
    nbs = args.notebooks or sorted(p for p in cfg.nbs_path.glob('*.ipynb') if not p.name.startswith('_'))
    flags = set(cfg.tst_flags.split())
    for path in nbs:
        print(path, file=sys.stderr)
        refresh(path, flags)


if __name__ == '__main__': main()
