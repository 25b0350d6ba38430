"""Ray against the local workers, end to end (issue 15, item 7): `gemma-arena predict` on the same rows with 2 GPU
workers in local processes, and with `--ray` (a local Ray cluster started by the command: 2 GPU actors), timed by the
wall clock, from a compile cache the first (cold, local) run filled.

    python bench/ray_e2e.py --rows 6000 --out DIR --runs fast:cold,fast,fast:ray,seed,seed:ray

A run is PRESET[:cold|:ray]. Weights, tokenizer and rows are `bench/e2e.py`'s (a random 9B-shaped 4-bit classifier
with a random LoRA, a word-level tokenizer, token lengths drawn from real arena rows). For each preset it prints
Ray's overhead end to end, Ray's start-up (the command's seconds before the run: imports, `ray.init`, the cluster's
plan) and its per-block cost (the run's seconds beyond the actors' load and their share of the compute, per block an
actor runs), and both projected to 25k rows (fixed costs kept, the rest scaled by rows). `--tiny` checks the harness
on the CPU with a tiny model. Results belong in bench/RESULTS.md.
"""
import json, os, sys, time
from pathlib import Path
import numpy as np, pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from e2e import bench_args, prepare, cli_run


def ray_costs(ray:dict, actors:int, blocks:int)->dict:
    "Ray's start-up seconds (before its run) and seconds per block beyond the model's load and compute."
    startup = ray["wall_s"] - ray["predict_s"]
    per_block = (ray["predict_s"] - ray["load_s"] - ray["compute_s"] / actors) / max(blocks / actors, 1)
    return dict(startup_s=round(startup, 1), per_block_s=round(per_block, 3))


def projected(run:dict, fixed:float, rows:int, to:int)->float:
    "The wall seconds of `run` at `to` rows: its fixed seconds, the rest scaled by rows."
    return fixed + (run["wall_s"] - fixed) * to / rows


def compare(local:dict, ray:dict, rows:int, actors:int, blocks:int, to:int=25000)->dict:
    "Ray's overhead over the local workers, measured and projected to `to` rows."
    costs = ray_costs(ray, actors, blocks)
    local_fixed = local["wall_s"] - local["compute_s"]
    ray_fixed = costs["startup_s"] + ray["load_s"]
    at = lambda r, f: projected(r, f, rows, to)
    return dict(preset=local["preset"], rows=rows, local_s=local["wall_s"], ray_s=ray["wall_s"], **costs,
                overhead=round(ray["wall_s"] / local["wall_s"] - 1, 3),
                overhead_projected=round(at(ray, ray_fixed) / at(local, local_fixed) - 1, 3), projected_rows=to)


def main():
    args = bench_args(__doc__, 6000, "/tmp/ray-e2e", "/tmp/ga-ray-e2e",
                      "fast:cold,fast,fast:ray,seed,seed:ray", 1800)
    start, out = time.perf_counter(), Path(args.out)
    data, base, lora, device = prepare(out, Path(args.workdir), args.rows, args.tiny)
    runs = {}
    for spec in args.runs.split(","):
        preset, how = (spec.split(":") + [""])[:2]
        name, left = f"{preset}-{how or 'local'}", args.budget - (time.perf_counter() - start)
        if left < 60: print(json.dumps(dict(run=name, error="skipped: out of time"))); continue
        extra = ["--ray"] if how == "ray" else []
        runs[name] = cli_run(name, preset, 2, "cold" if how == "cold" else "warm", data, base, lora, out, left,
                             device, extra)
        print(json.dumps(runs[name]), flush=True)
    results = []
    for preset in dict.fromkeys(s.split(":")[0] for s in args.runs.split(",")):
        local, ray = runs.get(f"{preset}-local", {}), runs.get(f"{preset}-ray", {})
        if "wall_s" not in local or "wall_s" not in ray: continue
        sub = [pd.read_csv(out / f"{preset}-{w}.csv").set_index("id").sort_index() for w in ("local", "ray")]
        dp = float(np.abs(sub[0].to_numpy() - sub[1].to_numpy()).max())
        actors = max(1, (os.cpu_count() or 2) // 2) if args.tiny else 2  # `cluster_plan`: one per GPU, or per 2 CPUs
        results.append(dict(compare(local, ray, args.rows, actors, ray["batches_computed"]), max_dp=dp))
        print(json.dumps(results[-1]), flush=True)
    (out / "ray_e2e.json").write_text(json.dumps(dict(runs=runs, results=results), indent=1))


if __name__ == "__main__": main()
