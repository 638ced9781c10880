# gdb command `stepi-exact N`: N single steps, one instruction each.
#
# A hypervisor that emulates cpuid (seen on AMD hosts) loses the single-step
# trap of that instruction, so gdb's own `stepi` over cpuid runs one
# instruction too far. This command steps cpuid with a temporary breakpoint
# after it instead, so that gdb counts instructions as the CPU runs them.
# Load it with `-ex 'source tests/gdb_stepi.py'`.
import gdb


class StepiExact(gdb.Command):
    """stepi-exact N: single-step N instructions, cpuid included."""

    def __init__(self):
        super().__init__("stepi-exact", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        n = int(gdb.parse_and_eval(arg or "1"))
        inf = gdb.selected_inferior()
        done = 0
        while done < n:
            pc = int(gdb.parse_and_eval("$pc"))
            if bytes(inf.read_memory(pc, 2)) == b"\x0f\xa2":
                gdb.execute("tbreak *%d" % (pc + 2), to_string=True)
                gdb.execute("continue", to_string=True)
            else:
                gdb.execute("stepi", to_string=True)
            done += 1
            if not inf.is_valid() or inf.pid == 0:
                break


StepiExact()
