#!/usr/bin/env python3
"""Runs a command and measures its whole process tree: CPU seconds and peak resident memory.

usage: proctree.py REPORT.json COMMAND [ARGS...]

A Spark job is a tree: spark-submit's JVM, the Python driver it starts, the Python workers that
run the UDFs (forked by a daemon). /usr/bin/time sees only what its child waited for, and a sum
of the peaks of each process is not the peak of the sum. So:
- CPU: this process becomes the tree's child subreaper (prctl PR_SET_CHILD_SUBREAPER), so every
  descendant that outlives its parent is reparented here and reaped here; once the command exits,
  the remaining descendants are waited for too. Each reaped process's CPU is then in its reaper's
  children time, and so, in the end, in ours: getrusage(RUSAGE_CHILDREN) counts the whole tree.
- Memory: every 0.1 s, the resident set (VmRSS) of every live process in the tree is summed; the
  report keeps the largest sum (shared pages of forked workers count once per process, as `ps`
  shows them), and the largest sum of proportional set sizes (Pss, shared pages divided among
  their users) sampled every 0.5 s.
- A time line of the tree's CPU (user + system of the live processes and their reaped children,
  plus what this process reaped) is kept, so the CPU spent between two moments can be read off.

The command's exit code is ours; the report is written as JSON.
"""
import ctypes
import json
import os
import resource
import subprocess
import sys
import threading
import time

PR_SET_CHILD_SUBREAPER = 36
TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    # The command name may hold spaces and parentheses: fields start after the last ')'.
    return text[text.rindex(")") + 2:].split()


def tree(root):
    """Pids of root's live descendants (root excluded), from each process's parent pid."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid = int(stat_fields(entry)[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0  # a zombie has no VmRSS


def pss_kb(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    f = stat_fields(pid)
    # utime, stime, cutime, cstime: fields 14-17 of proc(5), 12-15 after the name.
    return sum(int(x) for x in f[11:15]) / TICK


class Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_processes = 0
        self.timeline = []  # (epoch seconds, tree CPU seconds so far)

    def run(self):
        me = os.getpid()
        n = 0
        while not self.stop.is_set():
            rss = pss = cpu = 0
            pids = tree(me)
            for pid in pids:
                try:
                    rss += rss_kb(pid)
                    cpu += cpu_seconds(pid)
                    if n % 5 == 0:
                        pss += pss_kb(pid)
                except (OSError, ValueError):
                    pass  # exited between the listing and the read
            reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu += reaped.ru_utime + reaped.ru_stime
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.peak_processes = max(self.peak_processes, len(pids))
            self.timeline.append((round(time.time(), 3), round(cpu, 2)))
            n += 1
            self.stop.wait(0.1)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    report, command = sys.argv[1], sys.argv[2:]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit(f"proctree.py: prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(ctypes.get_errno())}")
    sampler = Sampler()
    started = time.time()
    proc = subprocess.Popen(command)
    sampler.start()
    code = proc.wait()
    # Descendants still running (or orphaned zombies) are ours to wait for: their CPU counts too.
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    ended = time.time()
    sampler.stop.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(report, "w") as f:
        json.dump({"command": command, "exit_code": code, "seconds": round(ended - started, 3),
                   "cpu_user_s": round(usage.ru_utime, 2), "cpu_system_s": round(usage.ru_stime, 2),
                   "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
                   "peak_rss_mb": round(sampler.peak_rss_kb / 1024, 1),
                   "peak_pss_mb": round(sampler.peak_pss_kb / 1024, 1),
                   "largest_single_rss_mb": round(usage.ru_maxrss / 1024, 1),
                   "peak_processes": sampler.peak_processes, "timeline": sampler.timeline}, f)
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
