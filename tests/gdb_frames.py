# Sourced by gdb (-ex 'source tests/gdb_frames.py'): the `frames-dump`
# command prints every frame of the selected thread as
# "F LEVEL PC SP NAME", the witness for bootscope's backtrace.
import gdb


class FramesDump(gdb.Command):
    def __init__(self):
        super().__init__("frames-dump", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        f = gdb.newest_frame()
        while f is not None:
            sp = int(f.read_register("rsp")) & 0xFFFFFFFFFFFFFFFF
            gdb.write("F %d %#x %#x %s\n" % (f.level(), f.pc(), sp, f.name()))
            f = f.older()


FramesDump()
