# Side by side CPU and wall of whole runs (FINDINGS "P9 start-up: built-ins"): python3 test/bench/ab-cpu.py N name="command …" …
# each command run once first (caches written), then N alternating rounds; stdout a pipe read to its end; CPU = user+sys from wait4
import os, sys, time, shlex, statistics, subprocess
n = int(sys.argv[1])
cmds = [(a.split('=',1)[0], shlex.split(a.split('=',1)[1])) for a in sys.argv[2:]]
res = {name: ([], []) for name, _ in cmds}
def run(argv):
    r, w = os.pipe()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(w, 1); os.close(r); os.close(w)
        dn = os.open('/dev/null', os.O_RDWR); os.dup2(dn, 0)
        os.execvp(argv[0], argv)
    os.close(w)
    while os.read(r, 65536): pass
    os.close(r)
    _, status, ru = os.wait4(pid, 0)
    wall = (time.perf_counter() - t0) * 1000
    assert status == 0, (argv, status)
    return wall, (ru.ru_utime + ru.ru_stime) * 1000
for name, argv in cmds: run(argv)  # warm (caches written)
for i in range(n):
    for name, argv in cmds:
        w, c = run(argv); res[name][0].append(w); res[name][1].append(c)
print(f"{n} alternating rounds, load before/after: {os.getloadavg()[0]:.2f}")
for name, (w, c) in res.items():
    print(f"  {name:10} wall median {statistics.median(w):6.1f} min {min(w):6.1f} | CPU median {statistics.median(c):6.1f} min {min(c):6.1f}")
