# bench only (call 31): every process of a run (the CLI and its spawned workers) with deterministic algorithms on
import torch
torch.use_deterministic_algorithms(True, warn_only=True)
import sys
print(f"sitecustomize: deterministic algorithms {torch.are_deterministic_algorithms_enabled()}", file=sys.stderr)
