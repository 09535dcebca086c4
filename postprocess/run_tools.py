"""Launching bonefusion from the project's scripts (bonefusion-study, bonefusion-hybrid)."""
import os
import shlex


def launcher(np):
    """The MPI launcher words for np ranks ([] for one rank): BONEFUSION_MPIRUN, else
    'mpirun --allow-run-as-root --oversubscribe'."""
    if np <= 1:
        return []
    words = shlex.split(os.environ.get("BONEFUSION_MPIRUN", "")) or \
        ["mpirun", "--allow-run-as-root", "--oversubscribe"]
    return words + ["-np", str(np)]
