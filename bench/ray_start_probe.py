"""When the workers that a local Ray cluster starts ahead of a run (8, each preloading `gemma_arena.ray_data`) are
born and have imported, while the driver does one of two things (issue 15, item 7):

- `idle`: `ray.init` on the main thread, then nothing;
- `imports`: `ray.init` on the main thread, then the CLI's imports (`bench/ray_cli.py`'s variant `first`).

(A third way, `ray.init` in a thread beside the CLI's imports as the console script does, hung in this probe in
call 40: Ray lost its GCS 60 s after starting. Likely because the probe's thread ended after `ray.init`, which
`launch.EarlyCluster` avoids by keeping its thread alive. It was dropped; the console script's own runs time that
way.)

    python bench/ray_start_probe.py --driver idle

Prints, in seconds from the driver process's start: when `ray.init` returned, when the driver's imports ended, and
each worker's birth and end of imports (read by a task on each). Results belong in bench/RESULTS.md.
"""
import argparse, json, os, time
from gemma_arena import launch


def worker_times(hold:float)->tuple[int, float, float]:
    "This worker's pid, birth and end of its preload (`time.time()`), after holding it `hold` seconds."
    import gemma_arena.ray_data as rd
    time.sleep(hold)
    return os.getpid(), time.time() - (launch.process_age() or 0.0), rd.imported_at


def start_ray(cpus:int):
    "A local cluster as `gemma_arena.launch` starts one, with `cpus` CPUs."
    import ray
    ray.init(include_dashboard=False, num_cpus=cpus,
             _system_config=dict(preload_python_modules=["gemma_arena.ray_data"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--driver", choices=["idle", "imports"], default="idle")
    ap.add_argument("--cpus", type=int, default=8)
    args = ap.parse_args()
    born = time.time() - (launch.process_age() or 0.0)
    since = lambda t: round(t - born, 1)
    start_ray(args.cpus)
    done = dict(init=time.time())
    if args.driver == "imports": import gemma_arena.cli
    done["imports"] = time.time()
    import ray
    times = ray.get([ray.remote(num_cpus=1)(worker_times).remote(3.0) for _ in range(args.cpus)])
    ray.shutdown()
    workers = sorted({pid: (since(b), since(i)) for pid, b, i in times}.values())
    print(json.dumps(dict(driver=args.driver, init_s=since(done["init"]), imports_s=since(done["imports"]),
                          workers_born_imported_s=workers)), flush=True)


if __name__ == "__main__": main()
