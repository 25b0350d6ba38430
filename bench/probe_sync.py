"""Is the GPU left idle between packs? Host time to queue a packed forward against its device time; the packs run
one ahead (the next queued before this one's result is awaited) against in turn; and the synchronizing CUDA calls of
a 16k pack (torch profiler, trace in $OUT). Run after bench.py has built /dev/shm/ga-bench/9b:

    python bench/probe_sync.py
"""
import os, sys, time
from pathlib import Path
import torch
from torch.profiler import profile, ProfilerActivity
sys.path.insert(0, str(Path(__file__).parent))
from bench import arena_rows, padding_tokenizer
from gemma_arena.recipes import Replica, presets, load_fields
from gemma_arena.packing import pack_rows, pack_capacity, packed_logits
from gemma_arena.model import gemma2_9b_config

w = Path("/dev/shm/ga-bench/9b")
tok = padding_tokenizer(w / "tok")
rows = arena_rows(224, 2048, gemma2_9b_config().vocab_size)
model = Replica(str(w / "base4bit"), str(w / "lora"), "fp16", **{k: getattr(presets["fast"], k) for k in load_fields}).load("cuda:0")
packs = [[rows[i] for i in g] for g in pack_rows([len(r) for r in rows], 16384)]


def launch(seqs):
    "The `fast` preset's forward of one pack, queued on the GPU and not awaited."
    with torch.autocast("cuda", dtype=torch.float16):
        return packed_logits(model, seqs, pack_capacity(sum(map(len, seqs)), 16384), tok.pad_token_id).softmax(-1)


def host(probs): return probs.cpu().numpy()


for p in packs: host(launch(p))  # compile every capacity
torch.cuda.synchronize()
for p in packs[:3] + packs[-1:]:
    t0 = time.perf_counter(); out = launch(p); t1 = time.perf_counter()
    torch.cuda.synchronize(); t2 = time.perf_counter()
    print(f"pack of {sum(map(len, p))} tokens: launch (host) {1e3*(t1-t0):.1f} ms, done after {1e3*(t2-t0):.1f} ms", flush=True)
t, queued = time.perf_counter(), None
for p in packs:
    ahead = launch(p)
    if queued is not None: host(queued)
    queued = ahead
host(queued); print(f"all {len(packs)} packs one ahead: {time.perf_counter() - t:.3f} s", flush=True)
t = time.perf_counter()
for p in packs: host(launch(p))
print(f"all {len(packs)} packs in turn: {time.perf_counter() - t:.3f} s", flush=True)
with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA], with_stack=True) as prof:
    host(launch(packs[0])); torch.cuda.synchronize()
print(prof.key_averages().table(sort_by="cpu_time_total", row_limit=25), flush=True)
for e in prof.events():
    if any(k in e.name for k in ("Synchronize", "DtoH", "cudaMemcpy", "item", "_local_scalar_dense")):
        print(e.name, round(e.cpu_time_total / 1e3, 2), "ms", " <- ".join(s for s in (e.stack or [])[:8] if "gemma_arena" in s or "transformers" in s or "torch/nn/attention" in s))
prof.export_chrome_trace(f"{os.environ.get('OUT', '/tmp')}/pack-trace.json")
