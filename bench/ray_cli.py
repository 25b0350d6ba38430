"""`gemma-arena` with another start of the local Ray cluster, for `bench/ray_e2e.py`'s variants (issue 15, item 7).

    RAY_VARIANT=late,nopreload python bench/ray_cli.py predict --ray ...

`RAY_VARIANT` is a comma-separated list of:
- `late`: the cluster starts after the CLI's imports, when the driver connects (the console script before
  `gemma_arena.launch`), not before them as `launch` starts it;
- `nopreload`: the workers do not import `launch.actor_modules` as they start;
- `noprestart`: Ray starts no workers ahead of the first task or actor;
- `cpus=N`: the local cluster has N CPUs (Ray starts as many workers ahead), not `launch.local_cpus()`;
- `stamps`: the cluster starts as shipped, and the driver prints `stamp: SECONDS WHAT` lines (seconds since its
  process started) as it ends each step up to the run's start: the cluster's start, the CLI's imports, Ray Data's,
  and each of `ray_data`'s steps that the run's `ray:` line does not time.

(Up to and including commit b9ab5ae, the shipped start ran in a thread beside the CLI's imports, and a variant
`first` started it as `launch` now does: first, on the main thread.)

Without a variant it is `gemma-arena` as shipped (`gemma_arena.launch.main`).
"""
import os, sys, time

variant = set(filter(None, os.environ.get("RAY_VARIANT", "").split(",")))
from gemma_arena import launch


def start_variant():
    "Start the local cluster as the variant says."
    import ray
    cfg = {} if "nopreload" in variant else dict(preload_python_modules=launch.actor_modules)
    if "noprestart" in variant: cfg["prestart_worker_first_driver"] = False
    cpus = [int(v.split("=")[1]) for v in variant if v.startswith("cpus=")]
    ray.init(address="local", include_dashboard=False, _system_config=cfg,
             num_cpus=cpus[0] if cpus else launch.local_cpus())


BORN = time.time() - (launch.process_age() or 0.0)  # when this process started


def stamp(what:str):
    "Print how long this process has run, and what it has just done."
    print(f"stamp: {time.time() - BORN:.2f} {what}", file=sys.stderr, flush=True)


def stamped(name:str, f):
    "`f`, stamping its start and end."
    def g(*args, **kw):
        stamp(f"{name} starts")
        try: return f(*args, **kw)
        finally: stamp(f"{name} ends")
    return g


def stamp_steps():
    "Stamp the cluster's start, the driver's imports, and the steps of `ray_data` before the run's start."
    stamp("cluster started (launch.EarlyCluster)")
    import gemma_arena.cli; stamp("gemma_arena.cli imported")
    from gemma_arena import ray_data; stamp("gemma_arena.ray_data imported")
    launch.early.wait(); stamp("ray.data imported (its thread joined)")
    for name in ["cluster_plan", "ray_weights", "checked_rows", "read_rows", "predict_dataset", "written",
                 "parsed_blocks", "predicted_blocks", "unwrapped", "results"]:
        setattr(ray_data, name, stamped(name, getattr(ray_data, name)))


if __name__ == "__main__":
    print(f"ray_cli: variant {sorted(variant) or 'as shipped'}", file=sys.stderr, flush=True)
    launch.start_local_ray = start_variant  # what `connect` starts when the cluster starts late
    if "late" not in variant and launch.ray_target(sys.argv[1:]) == "local":
        launch.early = launch.EarlyCluster(start_variant)
    if "stamps" in variant: stamp_steps()
    if "late" in variant: from gemma_arena.cli import main
    else: main = launch.main
    launch.script(main)  # ends as the console script does (until call 38 this ran Python's teardown)
