"""`gemma-arena` with another start of the local Ray cluster, for `bench/ray_e2e.py`'s variants (issue 15, item 7).

    RAY_VARIANT=late,nopreload python bench/ray_cli.py predict --ray ...

`RAY_VARIANT` is a comma-separated list of:
- `late`: the cluster starts after the CLI's imports, when the driver connects (the console script before
  `gemma_arena.launch`), not in `launch`'s thread beside them;
- `nopreload`: the workers do not import `gemma_arena.ray_data` as they start;
- `noprestart`: Ray starts no workers ahead of the first task or actor;
- `cpus=N`: the local cluster has N CPUs (Ray starts as many workers ahead), not all of the machine's;
- `first`: the cluster starts before the CLI's imports, on the main thread, so that nothing holds Python's lock
  from it and its workers start sooner; Ray Data's import then runs in a thread beside the CLI's.

Without a variant it is `gemma-arena` as shipped (`gemma_arena.launch.main`).
"""
import os, sys

variant = set(filter(None, os.environ.get("RAY_VARIANT", "").split(",")))
from gemma_arena import launch


def start_variant():
    "Start the local cluster as the variant says."
    import ray
    cfg = {} if "nopreload" in variant else dict(preload_python_modules=["gemma_arena.ray_data"])
    if "noprestart" in variant: cfg["prestart_worker_first_driver"] = False
    cpus = [int(v.split("=")[1]) for v in variant if v.startswith("cpus=")]
    ray.init(include_dashboard=False, _system_config=cfg, num_cpus=cpus[0] if cpus else None)


if __name__ == "__main__":
    print(f"ray_cli: variant {sorted(variant) or 'as shipped'}", file=sys.stderr, flush=True)
    launch.start_local_ray = start_variant  # what `connect` starts when the cluster starts late
    if "first" in variant:
        start_variant()
        launch.early = launch.EarlyCluster(lambda: None)  # only Ray Data's import, beside the CLI's
    elif "late" not in variant and launch.ray_target(sys.argv[1:]) == "local":
        launch.early = launch.EarlyCluster(start_variant)
    if "late" in variant: from gemma_arena.cli import main
    else: main = launch.main
    launch.script(main)  # ends as the console script does (until call 38 this ran Python's teardown)
