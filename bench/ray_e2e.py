"""Ray against the local workers, end to end (issue 15, item 7): `gemma-arena predict` on the same rows with 2 GPU
workers in local processes, and with `--ray` (a local Ray cluster started by the command: 2 GPU actors), timed by the
wall clock, from a compile cache the first (cold, local) run filled.

    python bench/ray_e2e.py --rows 6000 --out DIR --runs fast:cold,fast,fast:ray,fast:ray+late

A run is PRESET[:cold|:ray[+VARIANT...]|:cluster|:client]. `cluster` runs `--ray ADDRESS` against a cluster started
as the README starts one (`ray start --head`, 8 CPUs, workers preloading `launch.actor_modules`, token
authentication), just before the run and stopped after it; its start's seconds are reported apart
(`cluster_start_s`), not in the run's. `client` does the same through Ray Client (`--ray ray://127.0.0.1:PORT`, the
head started with a Ray Client server), where the driver's part runs as a task on the cluster.
A variant (`late`, `nopreload`, `noprestart`, `cpus=N`, `stamps`: see
`bench/ray_cli.py`) starts the local cluster another way, through `bench/ray_cli.py` in place of the console
script's `python -m gemma_arena.launch`. Weights, tokenizer and rows are `bench/e2e.py`'s (a random 9B-shaped
4-bit classifier with a random LoRA, a word-level tokenizer, token lengths drawn from real arena rows). `--tiny`
checks the harness on the CPU with a tiny model. Results belong in bench/RESULTS.md.

Measured, from the CLI's `ray:` line (printed before the submission is written): Ray's start (`init_s`, `ray.init`),
the cluster's plan (`plan_s`: its resources and the default preset, found by a task on a GPU), and from the run's
start: when the last actor's process had imported `gemma_arena.ray_data` (`imported_s`: for a worker started ahead,
its preload: `launch.actor_modules`), when the last actor was loaded (`ready_s`) with its load seconds (`load_s`), when the first block started
(`first_block_s`), the most seconds an actor spent compiling the capacities its blocks met (`compile_s`), the
blocks computed (`blocks`), a block's mean seconds (`per_block_s`), when the actors' last blocks ended (`done_s`, the
last of them, and `first_done_s`, the first; up to ce8b4d0 the line gave `idle_s` instead, which counted the compile
beside the load twice) and when the run ended (`run_s`). From the CLI's last line, as `bench/e2e.py`
reads it: predict, compute and total seconds. Derived: `spawn_s` = loaded − load (Ray's scheduling of the actors,
their Python and imports), and `outside_s` = wall − total (the process's start and imports, and its exit). Until
90f04e4 that also held Ray's shutdown: `python -m gemma_arena.launch` ran a second copy of the module, whose early
cluster the CLI did not see, so the CLI left the cluster to Python's exit. For each preset it prints Ray's overhead
end to end and projected to 25k rows (each run's compute per worker scaled by rows, the rest kept: `compare`).

Each run's parsed result is printed and `ray_e2e.json` rewritten as soon as the run ends; its stderr goes to
`OUT/NAME.log` as it is written, so a run that times out (SIGINT, then its process group killed 60 s later) keeps
its log and whatever its `ray:` line said.
"""
import json, re, sys, time
from contextlib import nullcontext
from pathlib import Path
import numpy as np, pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from e2e import bench_args, prepare, cli_command, cache_env, parsed_run
from gemma_arena.launch import local_cpus
from gemma_arena.testing import ray_head, free_port

TOKEN_AUTH = dict(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN="0bench0token0" * 3)  # the cluster's and the command's

RAY_NUMBERS = dict(init_s=r"init ([\d.]+) s", plan_s=r"plan ([\d.]+) s", born_s=r"processes started by (-?[\d.]+) s",
                   imported_s=r"imported by (-?[\d.]+) s",
                   built_s=r"constructors by ([\d.]+) s", ready_s=r"loaded at ([\d.]+) s",
                   load_s=r"\(load ([\d.]+)\)", compile_s=r"compile ([\d.]+) s",
                   first_block_s=r"first block at ([\d.]+)", blocks=r"blocks: (\d+) computed",
                   per_block_s=r"([\d.]+) s each", done_s=r"last blocks done at (?:[\d.]+, )*([\d.]+) s",
                   first_done_s=r"last blocks done at ([\d.]+)",
                   run_s=r"the run done at ([\d.]+) s")


def ray_said(stderr:str)->dict:
    "The numbers of the last `ray:` line of a run's stderr (none if it has none), named as in `RAY_NUMBERS`."
    lines = [l for l in stderr.splitlines() if l.startswith("ray: ")]
    if not lines: return {}
    found = {k: re.search(p, lines[-1]) for k, p in RAY_NUMBERS.items()}
    return {f"ray_{k}": (int if k == "blocks" else float)(m[1]) for k, m in found.items() if m}


def logged_run(name, preset, cache, data, base, lora, out, timeout, device, how="", variant="")->dict:
    """`e2e.cli_run` on 2 devices (`--ray` for `how` `ray`, through `ray_cli.py` for a `variant`; `--ray ADDRESS` of
    `testing.ray_head` for `cluster`, `ray://` to it for `client`), with what its `ray:` line says."""
    env = dict(cache_env(preset, cache, out), RAY_VARIANT=variant.replace("+", ","))
    client_port = free_port() if how == "client" else None
    cluster = (ray_head(local_cpus(), dict(env, **TOKEN_AUTH), out / f"{name}.cluster.log", client_port)
               if how in ("cluster", "client") else nullcontext((None, None, None, None)))
    with cluster as (_, address, cluster_s, _):
        if client_port: address = f"ray://127.0.0.1:{client_port}"
        extra = ["--ray", address] if address else ["--ray"] if how == "ray" else []
        cmd = cli_command(name, preset, 2, data, base, lora, out, device, ["--no-checkpoint", *extra])
        if variant: cmd[1:3] = [str(Path(__file__).parent / "ray_cli.py")]
        r = parsed_run(name, cmd, dict(env, **TOKEN_AUTH) if address else env, out / f"{name}.log", timeout,
                       preset=preset, gpus=2, cache=cache, variant=variant,
                       **(dict(cluster_start_s=cluster_s) if address else {}))
    ray = ray_said((out / f"{name}.log").read_text())
    return dict(r, **ray, **derived(r, ray)) if "error" not in r else dict(r, **ray)


def derived(run:dict, ray:dict)->dict:
    "Ray's actor spawn seconds (loaded − load) and the seconds outside the CLI's total (wall − total)."
    out = dict(outside_s=round(run["wall_s"] - run["total_s"], 1))
    if "ray_ready_s" in ray: out["ray_spawn_s"] = round(ray["ray_ready_s"] - ray["ray_load_s"], 1)
    return out


def projected(run:dict, fixed:float, rows:int, to:int)->float:
    "The wall seconds of `run` at `to` rows: its fixed seconds, the rest scaled by rows."
    return fixed + (run["wall_s"] - fixed) * to / rows


def compare(local:dict, ray:dict, rows:int, to:int=25000)->dict:
    """Ray's overhead over the local workers, measured and projected to `to` rows. Fixed seconds: each run's wall
    − its compute (from the first block's or batch's start to the last one's end; up to call 63 Ray's `compute_s`
    added up every actor's blocks, and was divided here by the actors). Before call 26 Ray's fixed seconds were
    wall − predict + ready + compile, which counts the first block's compile twice once it overlaps the load."""
    local_fixed = local["wall_s"] - local["compute_s"]
    ray_fixed = ray["wall_s"] - ray["compute_s"]
    at = lambda r, f: projected(r, f, rows, to)
    return dict(preset=local["preset"], rows=rows, local_s=local["wall_s"], ray_s=ray["wall_s"],
                **{k: v for k, v in ray.items() if k.startswith("ray_") or k in ("outside_s", "cluster_start_s")},
                startup_s=round(ray["wall_s"] - ray["predict_s"], 1),
                overhead=round(ray["wall_s"] / local["wall_s"] - 1, 3),
                overhead_projected=round(at(ray, ray_fixed) / at(local, local_fixed) - 1, 3), projected_rows=to)


def main():
    args = bench_args(__doc__, 6000, "/tmp/ray-e2e", "/tmp/ga-ray-e2e",
                      "fast:cold,fast,fast:ray,seed,seed:ray", 1800)
    start, out = time.perf_counter(), Path(args.out)
    data, base, lora, device = prepare(out, Path(args.workdir), args.rows, args.tiny)
    runs, results = {}, []
    save = lambda: (out / "ray_e2e.json").write_text(json.dumps(dict(runs=runs, results=results), indent=1))
    for spec in args.runs.split(","):
        preset, how = (spec.split(":") + [""])[:2]
        how, _, variant = how.partition("+")
        name = f"{preset}-{how or 'local'}" + (f"+{variant}" if variant else "")
        name += f"-{sum(n.startswith(name) for n in runs) + 1}" if name in runs else ""
        left = args.budget - (time.perf_counter() - start)
        if left < 60: runs[name] = dict(run=name, error="skipped: out of time")
        else: runs[name] = logged_run(name, preset, "cold" if how == "cold" else "warm", data, base, lora, out,
                                      left, device, how, variant)
        print(json.dumps(runs[name]), flush=True); save()
    for name, ray in runs.items():
        local = runs.get(f"{ray.get('preset')}-local", {})
        remote = any(k in name for k in ("-ray", "-cluster", "-client"))
        if not remote or "wall_s" not in local or "wall_s" not in ray: continue
        sub = [pd.read_csv(out / f"{r}.csv").set_index("id").sort_index() for r in (local["run"], name)]
        dp = float(np.abs(sub[0].to_numpy() - sub[1].to_numpy()).max())
        results.append(dict(compare(local, ray, args.rows), run=name, max_dp=dp))
        print(json.dumps(results[-1]), flush=True); save()


if __name__ == "__main__": main()
