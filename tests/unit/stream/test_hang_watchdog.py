"""A transactional call that blocks past its limit ends the worker with ExitCode.HUNG."""

from __future__ import annotations

import subprocess
import sys

from processor.exit_codes import ExitCode

_SCRIPT = """
import time
import processor.stream.transactions as t
t.HANG_LIMIT_S = 0.3
calls = []
t._guarded("quick_call", lambda: calls.append(1))
assert calls == [1]
t._guarded("send_offsets_to_transaction", lambda: time.sleep(30))
print("not reached")
"""


def test_hung_call_exits_with_exit_hung() -> None:
    """A quick call returns normally; a blocked one ends the process with ExitCode.HUNG, fast."""
    proc = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True,
                          timeout=20, check=False)
    assert proc.returncode == ExitCode.HUNG, proc.stderr
    assert "not reached" not in proc.stdout
    assert "send_offsets_to_transaction blocked" in proc.stderr
