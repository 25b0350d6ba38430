"""`gemma-arena bundle` end to end: a bundle for this machine's Python, installed into a fresh virtual environment
with no index reachable, runs the demo."""
import os, platform, socket, subprocess, sys, sysconfig, venv
from pathlib import Path
import pandas as pd, pytest

from gemma_arena.bundle import requirements, project
from gemma_arena.data import read_table, sample_path
from gemma_arena.submission import validate_submission

SMALL = "tqdm"  # the one dependency bundled: small, pure Python, hidden from the fresh environment


def pypi_reachable():
    try: socket.create_connection(("pypi.org", 443), timeout=5).close(); return True
    except OSError: return False


pytestmark = pytest.mark.skipif(not pypi_reachable(), reason="pip download needs PyPI (pypi.org:443 unreachable)")


def run(*cmd, **kw):
    r = subprocess.run([*map(str, cmd)], capture_output=True, text=True, timeout=600, **kw)
    assert r.returncode == 0, f"{cmd}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    return r


def image_view(dest, hidden):
    """A directory of links to everything in this interpreter's site-packages but `hidden` projects and gemma_arena:
    the stand-in for Kaggle's image, which has torch and transformers but neither gemma_arena nor SMALL."""
    dest.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        name = entry.name.split("-")[0].lower()
        if name not in hidden and not entry.name.startswith("__editable__"): (dest / entry.name).symlink_to(entry)
    return dest


def test_bundle_installs_offline_and_runs_demo(tmp_path):
    keep_out = [p for p in map(project, requirements()) if p != SMALL]
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    run(sys.executable, "-m", "gemma_arena.cli", "bundle", tmp_path / "b", "--dataset", "my-wheels", "--exclude", *keep_out,
        "--python-version", py, "--glibc", platform.libc_ver()[1], "--arch", platform.machine())
    files = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert [f.split("-")[0] for f in files] == ["README.md", "gemma_arena", "kaggle_submission.ipynb", SMALL], files
    assert "pip install --no-index --find-links /kaggle/input/my-wheels gemma_arena tqdm" in (tmp_path / "b/README.md").read_text()

    # A fresh environment that sees the image's packages, not gemma_arena nor SMALL, and no index or config at all.
    venv.create(tmp_path / "v")  # no pip of its own (ensurepip's old setuptools would shadow the image's): the image's pip
    vsite = next((tmp_path / "v/lib").glob("python*/site-packages"))
    (vsite / "image.pth").write_text(str(image_view(tmp_path / "image", {"gemma_arena", SMALL})) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env.update(PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    vbin = tmp_path / "v/bin"
    r = run(vbin / "python", "-m", "pip", "install", "--no-index", "--find-links", tmp_path / "b", "gemma_arena", env=env)
    assert f"Successfully installed gemma_arena-0.0.1 {SMALL}-" in r.stdout.replace("gemma-arena", "gemma_arena")
    where = run(vbin / "python", "-c", "import gemma_arena, tqdm; print(gemma_arena.__file__, tqdm.__file__)", env=env, cwd=tmp_path).stdout
    assert where.count(str(vsite)) == 2, where

    run(vbin / "gemma-arena", "demo", "--no-progress", "--max-length", 128, "--out", tmp_path / "sub.csv", env=env, cwd=tmp_path)
    validate_submission(pd.read_csv(tmp_path / "sub.csv", dtype={"id": str}), read_table(sample_path())["id"])
