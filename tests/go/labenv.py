#!/usr/bin/env python3
"""Lab mode turns Go's asynchronous preemption off unless told otherwise.

A one-step lab (in a temporary $BOOTSCOPE_LABS) stops a Go hello at
main.main and checks runtime.debug.asyncpreemptoff, the runtime's own
parse of GODEBUG. With GODEBUG unset, `--lab` runs the program with
GODEBUG=asyncpreemptoff=1 (the check passes, the runtime read 1); an
explicit GODEBUG, even an empty one, is left alone (the runtime read 0);
outside lab mode nothing is added.
"""
import os
import tempfile

import golib
from golib import last

t = golib.Test(__doc__)
hello = t.program("hello")

LAB = """#@lab 1 The environment a lab gives its program
#@step At main.main
#@say Run to main.main.
#@ask Is asynchronous preemption on?
break main.main
run
expect runtime.debug.asyncpreemptoff == 1
"""

with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "01-env.bs"), "w") as f:
        f.write(LAB)
    base = dict(os.environ, BOOTSCOPE_LABS=d)
    base.pop("GODEBUG", None)
    for what, godebug, want in (("GODEBUG unset", None, 1),
                                ("GODEBUG=asyncpreemptoff=0", "asyncpreemptoff=0", 0),
                                ("GODEBUG empty", "", 0)):
        env = dict(base)
        if godebug is not None:
            env["GODEBUG"] = godebug
        rc, events, err = t.bs(hello, [], env=env, extra=["--lab", "1"])
        check = last(events, "check")
        t.check("--lab, %s: asyncpreemptoff as the runtime parsed it" % what,
                check and check["actual"], want)
        t.check("--lab, %s: exit status" % what, rc, 0 if want == 1 else 1)
    rc, events, err = t.bs(hello, ["break main.main", "run",
                                   "print runtime.debug.asyncpreemptoff"], env=base)
    p = last(events, "print")
    t.check("outside lab mode GODEBUG is not added", p and p["value"], 0)
t.finish()
