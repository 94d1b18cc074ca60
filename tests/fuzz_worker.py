"""The fuzzer's worker: the checks of one input, and the process that runs them.

:func:`check` runs one input through ``loads``, ``validate``, ``summarize``
and ``to_ics`` in this process. :class:`Worker` runs it in a child process
(``python -m tests.fuzzing --worker``) with a hard timeout, and measures
the child's peak memory; a child that hangs, dies or grows too big is
replaced.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import select
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

__all__ = ["Result", "Worker", "check", "serve"]

ROOT = Path(__file__).resolve().parents[1]
_HEADER = 8
#: An input the worker spins on forever, to test that a hang is killed.
SPIN = "# regimen-fuzz: spin forever\n"


@dataclass(frozen=True)
class Result:
    """What one input did: ``bundle``, ``rejected``, ``escape``, ``slow``, ``memory`` or ``hang``."""

    status: str
    phase: str = ""
    signature: str = ""
    detail: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    memory_mb: float = 0.0


# -- the checks (run in the worker) -----------------------------------------------


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/regimen/" in f.filename.replace("\\", "/")]

    def name(f: traceback.FrameSummary) -> str:
        path = f.filename.replace("\\", "/")
        if "/regimen/" in path:
            module = "regimen." + path.rsplit("/regimen/", 1)[1].removesuffix(".py")
            module = module.replace("/", ".").removesuffix(".__init__")
        else:
            module = Path(path).stem
        return f"{module}.{f.name}"

    inner = name(ours[-1]) if ours else "?"
    last = name(frames[-1]) if frames else "?"
    return inner if inner == last else f"{inner} -> {last}"


def _ics_window(subject: Any) -> tuple[date | None, date | None]:
    start = getattr(subject, "start", None)
    if not isinstance(start, date):
        return None, None
    end = getattr(subject, "end", None)
    bounded = date.fromordinal(min(start.toordinal() + 6, date.max.toordinal()))
    return start, bounded if end is None or end > bounded else end


def _phases(data: str | bytes, fmt: str) -> Iterator[tuple[str, Callable[[], Any]]]:
    import regimen
    from regimen import _ics

    box: dict[str, Any] = {}

    def load() -> None:
        box["bundle"] = regimen.loads(data, format=fmt)  # type: ignore[arg-type]

    yield "loads", load
    bundle = box["bundle"]
    subject = bundle.plan if bundle.plan is not None else bundle.log
    if subject is None:
        return

    def check() -> None:
        report = regimen.validate(subject, bundle.profile)
        json.dumps(report.to_dict(), ensure_ascii=False)
        for finding in report.findings:
            str(finding.message)

    def summary() -> None:
        result = regimen.summarize(subject, bundle.profile)
        json.dumps(result.to_dict(), ensure_ascii=False)
        result.to_text()
        result.to_markdown()

    def ics() -> None:
        start, end = _ics_window(subject)
        _ics.to_ics(subject, start=start, end=end, reminder=timedelta(minutes=5))

    yield from (("validate", check), ("summarize", summary), ("to_ics", ics))


def check(
    data: str | bytes,
    fmt: str,
    *,
    on_phase: Callable[[str], None] | None = None,
) -> Result:
    """Run one input through every phase in this process and say what happened."""
    import regimen

    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}
    phases = _phases(data, fmt)
    phase = "loads"
    while True:
        try:
            phase, call = next(phases)
        except StopIteration:
            return Result("bundle", seconds=seconds, cpu=cpu)
        except BaseException as exc:  # the generator body itself failed
            return _escape(phase, exc, seconds, cpu)
        if on_phase is not None:
            on_phase(phase)
        began, began_cpu = time.perf_counter(), time.process_time()
        error: BaseException | None = None
        try:
            call()
        except regimen.RegimenError as exc:
            if phase == "loads":  # loads promises a LoadError, no other kind
                error = exc
        except BaseException as exc:  # everything else is what we hunt
            error = exc
        seconds[phase] = time.perf_counter() - began
        cpu[phase] = time.process_time() - began_cpu
        if isinstance(error, regimen.LoadError):
            return Result("rejected", seconds=seconds, cpu=cpu)
        if error is not None:
            return _escape(phase, error, seconds, cpu)


def _escape(
    phase: str, exc: BaseException, seconds: dict[str, float], cpu: dict[str, float]
) -> Result:
    kind = "memory" if isinstance(exc, MemoryError) else "escape"
    signature = f"{phase}: {type(exc).__name__} in {_where(exc)}"
    detail = "".join(traceback.format_exception(exc))
    return Result(kind, phase, signature, detail, seconds, cpu)


def _cpu_of(pid: int) -> float | None:
    """Return the CPU seconds process *pid* has used, from ``/proc`` (None elsewhere)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # fields 3.. of proc(5); utime is 14
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_STATUS = Path("/proc/self/status")


def _status_mb(field: str) -> float | None:
    """Return a ``/proc/self/status`` memory figure (``VmRSS``, ``VmHWM``) in MB, or None."""
    try:
        text = _STATUS.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


def _peak_reset() -> float | None:
    """Reset the peak resident memory to the current one; return that (MB), or None.

    Linux resets the high-water mark when ``5`` is written to
    ``/proc/self/clear_refs``; elsewhere the lifetime peak is all there is.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    return _status_mb("VmRSS")


def _grown(before: float | None, baseline: float) -> tuple[float, float]:
    """Return how much one input raised the peak memory, and what the process now holds.

    Both in MB: the growth is the peak during the input over the memory the
    process held when it began (what earlier inputs left is not this
    input's); where the peak cannot be reset, over the worker's *baseline*.
    """
    peak = _status_mb("VmHWM") if before is not None else None
    now = _status_mb("VmRSS")
    held = (now if now is not None else _maxrss_mb()) - baseline
    if before is None or peak is None:
        return _maxrss_mb() - baseline, held
    return peak - before, held


def _send(fd: int, message: object) -> None:
    body = pickle.dumps(message)
    view = memoryview(len(body).to_bytes(_HEADER, "big") + body)
    while view:
        view = view[os.write(fd, view) :]


def _read(fd: int, size: int, deadline: float | None) -> bytes:
    chunks = []
    while size:
        if deadline is not None:
            ready, _, _ = select.select(
                [fd], [], [], max(0.0, deadline - time.monotonic())
            )
            if not ready:
                raise TimeoutError
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _recv(fd: int, deadline: float | None = None) -> Any:
    size = int.from_bytes(_read(fd, _HEADER, deadline), "big")
    return pickle.loads(_read(fd, size, deadline))


def serve(memory_cap_mb: int) -> None:
    """Serve check requests on standard input and output until EOF."""
    out = os.dup(1)
    os.dup2(2, 1)  # stray prints must not corrupt the protocol
    cap = memory_cap_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    import icalendar  # noqa: F401 - warm up what the phases import

    from regimen import _ics  # noqa: F401

    check((ROOT / "examples" / "wellness.toml").read_text(), "toml")
    baseline = _maxrss_mb()
    _send(out, ("ready", baseline))
    while True:
        try:
            data, fmt = _recv(0)
        except EOFError:
            return
        while data == SPIN:
            pass
        try:
            before = _peak_reset()
            result = check(data, fmt, on_phase=lambda p: _send(out, ("phase", p)))
            _send(out, ("done", result, *_grown(before, baseline)))
        except BrokenPipeError:  # the parent stopped listening
            return


class Worker:
    """A worker process, restarted when it dies, hangs or has grown too big."""

    def __init__(self, memory_bound_mb: float, memory_cap_mb: int = 4096) -> None:
        """Start the process and wait until it has imported regimen."""
        self.memory_bound_mb = memory_bound_mb
        self.memory_cap_mb = memory_cap_mb
        self.restarts = -1
        self.peak_mb = 0.0
        self._start()

    def _start(self, attempts: int = 30) -> None:
        """Start a worker; retry while regimen does not import (a tree mid-edit)."""
        self.restarts += 1
        for attempt in range(attempts):
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.fuzzing",
                    "--worker",
                    str(self.memory_cap_mb),
                ],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                bufsize=0,
            )
            assert self.proc.stdout is not None
            try:
                tag, self.baseline_mb = _recv(
                    self.proc.stdout.fileno(), time.monotonic() + 120
                )
            except (EOFError, TimeoutError):
                self.close()
                if attempt == attempts - 1:
                    raise
                time.sleep(10)
            else:
                assert tag == "ready"
                return

    def close(self) -> None:
        """Stop the process."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()

    def check(self, data: str | bytes, fmt: str, timeout: float) -> Result:
        """Check one input; kill it after *timeout* seconds of its CPU time.

        Where the process's CPU time cannot be read (no ``/proc``), or the
        machine is so busy that ten times *timeout* pass in wall-clock time,
        wall-clock time decides.
        """
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        phase = "loads"
        fd = self.proc.stdout.fileno()
        began, began_cpu = time.monotonic(), _cpu_of(self.proc.pid)
        try:
            _send(self.proc.stdin.fileno(), (data, fmt))
            while True:
                if not select.select([fd], [], [], 0.2)[0]:
                    wall = time.monotonic() - began
                    cpu = (
                        wall
                        if began_cpu is None
                        else (_cpu_of(self.proc.pid) or 0) - began_cpu
                    )
                    if cpu > timeout or wall > 10 * timeout:
                        raise TimeoutError(f"{cpu:.1f} s CPU, {wall:.1f} s wall-clock")
                    continue
                message = _recv(fd, time.monotonic() + 60)
                if message[0] == "phase":
                    phase = message[1]
                    continue
                result: Result = message[1]
                grown: float = message[2]
                held: float = message[3]
                break
        except TimeoutError as exc:
            self.close()
            self._start()
            detail = f"still running after {exc} (killed)"
            return Result("hang", phase, f"{phase}: over {timeout:g} s", detail)
        except (EOFError, OSError):
            self.close()
            code = self.proc.returncode
            self._start()
            detail = f"the worker died with exit status {code}"
            return Result("escape", phase, f"{phase}: worker died ({code})", detail)
        self.peak_mb = max(self.peak_mb, grown)
        if held > 100:
            self.close()
            self._start()
        if grown > self.memory_bound_mb and result.status in ("bundle", "rejected"):
            detail = f"the worker's peak memory grew {grown:.0f} MB"
            sig = f"{result.phase or 'run'}: over {self.memory_bound_mb:g} MB"
            return replace(
                result, status="memory", signature=sig, detail=detail, memory_mb=grown
            )
        return replace(result, memory_mb=grown)
