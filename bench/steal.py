"""Per run of `bench/e2e.py` in FOLDER: the share of CPU time the hypervisor stole (/proc/stat, sampled each second
into FOLDER/stat.txt), and each GPU's mean use, SM clock and power (FOLDER/smi.csv, from nvidia-smi), while it ran.

    python bench/steal.py FOLDER
"""
import json, sys
from datetime import datetime
from pathlib import Path
import numpy as np, pandas as pd

folder = Path(sys.argv[1])
stat = [(float(t), np.array(list(map(int, rest.split()[1:])))) for t, rest in
        (l.split(" ", 1) for l in (folder / "stat.txt").read_text().splitlines() if " cpu " in l)]
smi = pd.read_csv(folder / "smi.csv", header=None, skipinitialspace=True,
                  names=["time", "gpu", "use", "clock", "power", "temp"])
smi["t"] = [datetime.strptime(s, "%Y/%m/%d %H:%M:%S.%f").timestamp() for s in smi.time]
num = lambda s: pd.to_numeric(s.astype(str).str.split().str[0], errors="coerce")
for c in ("use", "clock", "power"): smi[c] = num(smi[c])
runs = json.loads((folder / "e2e.json").read_text())
log_end = {r["run"]: (folder / f"{r['run']}.log").stat().st_mtime for r in runs if "error" not in r}
for r in runs:
    if "error" in r: continue
    end = log_end[r["run"]]; start = end - r["wall_s"]
    inside = [v for t, v in stat if start <= t <= end]
    d = inside[-1] - inside[0] if len(inside) > 1 else np.zeros(10)
    steal = d[7] / d.sum() if d.sum() else float("nan")  # user nice system idle iowait irq softirq steal ...
    busy = (d[:3].sum() + d[5:8].sum()) / d.sum() if d.sum() else float("nan")
    g = smi[(smi.t >= start + r.get("start_s", 0) + r.get("load_s", 0)) & (smi.t <= end)]
    gpus = "; ".join(f"GPU {i}: use {x.use.mean():.0f}%, {x.clock.mean():.0f} MHz, {x.power.mean():.0f} W"
                     for i, x in g.groupby("gpu"))
    print(f"{r['run']}: compute {r.get('compute_s')} s; CPU busy {100 * busy:.1f}%, stolen {100 * steal:.2f}%; {gpus}")
