"""When the workers that a local Ray cluster starts ahead of a run (one for each CPU it offers, at most 8, each preloading
`gemma_arena.ray_data`) are born and have imported, while the driver does one of two things (issue 15, item 7):

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


def process_start()->float:
    "When this process started (`time.time()`)."
    return time.time() - (launch.process_age() or 0.0)


def worker_times(hold:float)->tuple[int, float, float]:
    "This worker's pid, birth and end of its preload (`time.time()`), after holding it `hold` seconds."
    import gemma_arena.ray_data as rd
    time.sleep(hold)
    return os.getpid(), process_start(), rd.imported_at


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--driver", choices=["idle", "imports"], default="idle")
    args = ap.parse_args()
    born = process_start()
    since = lambda t: round(t - born, 1)
    launch.start_local_ray()  # the cluster `gemma-arena predict --ray` starts
    done = dict(init=time.time())
    if args.driver == "imports": import gemma_arena.cli
    done["imports"] = time.time()
    import ray
    times = ray.get([ray.remote(num_cpus=1)(worker_times).remote(3.0) for _ in range(launch.local_cpus())])
    ray.shutdown()
    workers = sorted({pid: (since(b), since(i)) for pid, b, i in times}.values())
    print(json.dumps(dict(driver=args.driver, init_s=since(done["init"]), imports_s=since(done["imports"]),
                          workers_born_imported_s=workers)), flush=True)


if __name__ == "__main__": main()
