"""Whether compiling a replica's twin while the replica loads changes its probabilities (`workers.Loading`), on the CPU.

    python bench/twin_race.py --dtype bf16 --runs 6 [--int8]
    PYTHONPATH=/path/to/a/checkout python bench/twin_race.py ...   # an older commit's code

A tiny merged replica read from a 4-bit NF4 checkpoint with a LoRA (`testing.nf4_and_twin`), flex attention, compiled
layers: first loaded, then compiled (the reference), then `--runs` times loaded in a thread while its twin compiles,
as a worker does. For each run it prints the largest difference from the reference's probabilities on one pack of
random rows, and PyTorch's default dtype after the run (the process's, which a race can leave in half precision).
Before 90f04e4 the compile could start while the load built the model's skeleton (`model.nf4_merged`'s `on_built`);
the script then takes `Loading.compiled(Setup)` in place of `Loading.ready`.
"""
import argparse, queue, tempfile
from pathlib import Path
import numpy as np, torch
from gemma_arena.forward import forward_probs
from gemma_arena.recipes import Options, Replica
from gemma_arena.testing import nf4_and_twin, tiny_model_dirs
from gemma_arena.tokens import gemma3_tokenizer
from gemma_arena import workers


def compiled_while_loading(replica, opts, capacities):
    "The replica, loaded in a thread while its twin compiles for `capacities`."
    loading = workers.Loading(replica, "cpu", workers.reporter(queue.Queue(), 0))
    if hasattr(loading, "ready"): return loading.ready(opts, 0, capacities)[0]
    return loading.compiled(workers.Setup(opts, 0, None, capacities))[0]  # before 90f04e4


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dtype", default="bf16")
    ap.add_argument("--int8", action="store_true")
    ap.add_argument("--runs", type=int, default=6)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    base, lora = tiny_model_dirs(tmp, gemma3_tokenizer())
    nf4, _ = nf4_and_twin(base, Path(tmp))
    replica = Replica(str(nf4), str(lora), dtype=args.dtype, merge=True, int8=args.int8, attn="flex_attention",
                      compile=True)
    opts = Options(batch_size=None, pack=1024, dtype=args.dtype)
    rng = np.random.default_rng(0)
    rows = [rng.integers(1, 200, rng.integers(20, 150)).tolist() for _ in range(6)]
    torch._dynamo.reset()
    reference = forward_probs(replica.load("cpu"), rows, "cpu", opts, 0)
    for run in range(args.runs):
        torch._dynamo.reset()
        probs = forward_probs(compiled_while_loading(replica, opts, [1024]), rows, "cpu", opts, 0)
        print(f"run {run}: max |dp| {np.abs(probs - reference).max():.3g}, default dtype {torch.get_default_dtype()}",
              flush=True)
        torch.set_default_dtype(torch.float32)


if __name__ == "__main__": main()
