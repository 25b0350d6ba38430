"""`gemma-arena` with another start of the local Ray cluster, for `bench/ray_e2e.py`'s variants (issue 15, item 7).

    RAY_VARIANT=early,nopreload python bench/ray_cli.py predict --ray ...

`RAY_VARIANT` is a comma-separated list of:
- `early`: `ray.init` (then `import ray.data`) in a thread started before the CLI's imports, so that the cluster
  starts while they run (the thread stays alive: the cluster's processes are told to die with the thread that started
  them);
- `nopreload`: the workers do not import `gemma_arena.ray_data` when they start;
- `noprestart`: Ray starts no workers ahead of the first task or actor.

Without a variant it is the CLI as shipped. The `ray:` line's `init` is then the driver's wait for the cluster after its
own imports.
"""
import os, sys, threading, time

variant = set(filter(None, os.environ.get("RAY_VARIANT", "").split(",")))
started, t0 = threading.Event(), time.time()


def system_config()->dict:
    "The local cluster's system config for this variant."
    cfg = {} if "nopreload" in variant else dict(preload_python_modules=["gemma_arena.ray_data"])
    if "noprestart" in variant: cfg["prestart_worker_first_driver"] = False
    return cfg


def start_cluster():
    "Start the local cluster, then keep this thread alive for the process's life."
    import ray
    ray.init(include_dashboard=False, _system_config=system_config())
    import ray.data  # the driver's next import from Ray
    print(f"ray_cli: cluster up at {time.time() - t0:.1f} s after the process's start", file=sys.stderr, flush=True)
    started.set()
    threading.Event().wait()


if "early" in variant: threading.Thread(target=start_cluster, daemon=True).start()

import gemma_arena.ray_data as ray_data
from gemma_arena.cli import main


def connect(address=None)->float:
    "The seconds the driver waits for the local cluster: its start, or what is left of the early one."
    t = time.time()
    if "early" in variant: started.wait()
    else:
        import ray
        ray.init(include_dashboard=False, _system_config=system_config())
    return time.time() - t


if __name__ == "__main__":
    print(f"ray_cli: variant {sorted(variant) or 'as shipped'}; imports done at {time.time() - t0:.1f} s",
          file=sys.stderr, flush=True)
    ray_data.connect = connect
    sys.exit(main())
