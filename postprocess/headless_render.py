"""Run a ParaView (pvbatch) script without a display, robustly.

Debian's pvbatch renders through GLX, so it needs an X server; `xvfb-run -a` starts a virtual
one. Two things make that flaky on CI machines and are handled here:
  * xvfb-run's default screen is 8 bits deep; VTK asks for a 24-bit visual and may abort in
    vtkXOpenGLRenderWindow::CreateAWindow, so the screen is requested as 24-bit;
  * `-a` picks a free display number while a previous server may still be shutting down, and
    pvbatch then aborts with "bad X server connection": the run is retried a few times.
A failure after the last attempt is returned to the caller, with the start of the output (where
the reason is), not only the tail (a stack trace).
"""
import shutil
import subprocess
import time

SCREEN = "-screen 0 1280x1024x24"


def available():
    """True if xvfb-run and pvbatch are installed (Debian packages xvfb, paraview)."""
    return bool(shutil.which("xvfb-run") and shutil.which("pvbatch"))


def run_pvbatch(script, arguments, attempts=3):
    """Runs `xvfb-run -a pvbatch script arguments...`; returns (exit code, combined output)."""
    command = ["xvfb-run", "-a", "-s", SCREEN, "pvbatch", script] + [str(a) for a in arguments]
    output = ""
    for attempt in range(attempts):
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        output += "attempt %d: %s\n%s\n" % (attempt + 1, " ".join(command), result.stdout)
        if result.returncode == 0:
            return 0, output
        time.sleep(2 * (attempt + 1))
    return result.returncode, output


def summary(output, head=1500, tail=1500):
    """The start and the end of a long output, for failure messages."""
    if len(output) <= head + tail:
        return output
    return output[:head] + "\n[...]\n" + output[-tail:]
