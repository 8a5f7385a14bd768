"""Rows of a query read from cqlsh's plain output: the lines after the header's dashed separator
line, up to the first blank line, split on '|'. Shared by the integration checks."""
import subprocess


def cqlsh_rows(cqlsh, query):
    # QUORUM, as the writes: at ONE a replica that dropped a mutation under load (its hint not yet
    # replayed) would look like a lost row.
    run = subprocess.run(cqlsh + ["-e", "CONSISTENCY QUORUM; PAGING OFF; " + query], check=True, capture_output=True,
                         text=True)
    out = run.stdout.splitlines()
    start = next((i for i, line in enumerate(out) if line.strip() and set(line.strip()) <= set("-+")), None)
    if start is None:  # cqlsh reports a bad query on stderr and may still exit 0
        raise SystemExit(f"cqlsh printed no rows for: {query}\n{run.stderr.strip()[-2000:]}")
    rows = []
    for line in out[start + 1:]:
        if not line.strip():
            break
        rows.append([cell.strip() for cell in line.split("|")])
    return rows
